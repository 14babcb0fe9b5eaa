-- wrk script for the sign-up rush: every request is a new (volunteer, shift) pair.
-- The credentials file has one line per signed-in volunteer: "cookie csrf volunteer_id",
-- and a last line "shifts id1,id2,...". Threads take interleaved volunteers.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local count = #args > 1 and tonumber(args[2]) or 1
  volunteers, shifts, step = {}, {}, 0
  local n = 0
  for line in io.lines(args[1]) do
    if line:sub(1, 7) == "shifts " then
      for shift in line:sub(8):gmatch("[^,]+") do table.insert(shifts, shift) end
    else
      if n % count == id then
        local cookie, csrf, volunteer = line:match("(%S+) (%S+) (%S+)")
        table.insert(volunteers, {cookie = cookie, csrf = csrf, id = volunteer})
      end
      n = n + 1
    end
  end
end

function request()
  local who = volunteers[(step % #volunteers) + 1]
  local shift = shifts[math.floor(step / #volunteers) % #shifts + 1]
  step = step + 1
  return wrk.format("POST", "/api/v1/shifts/" .. shift .. "/sign-ups", {
    ["Cookie"] = "katf_session=" .. who.cookie,
    ["X-CSRF-Token"] = who.csrf,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = who.id .. "-" .. shift,
  }, '{"volunteer_id": "' .. who.id .. '"}')
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d,' ..
    ' "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
