-- wrk script for the real rush: every volunteer signs up once, for their own shift.
-- The credentials file has one line per signed-in volunteer: "cookie csrf volunteer_id shift
-- address". Once its volunteers are all answered, a thread stops; the few requests it still
-- has to send meanwhile ask for a small static file (not JSON, as every sign-up's answer is:
-- answers are told apart whichever order they come back in), and it leaves a file named by its second argument: wrk's main thread sleeps out its
-- duration otherwise, so the runner interrupts it once every thread has left its file.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  finished_file = args[2]
  -- wrk asks thread 0 for one request before it starts, to look at it, and never sends it:
  -- that first request is the static file's, so that no volunteer's is lost
  volunteers, sent, answered, created, refused = {}, -1, 0, 0, 0
  for line in io.lines(args[1]) do
    local cookie, csrf, volunteer, shift, address = line:match("(%S+) (%S+) (%S+) (%S+) (%S+)")
    table.insert(volunteers, {cookie = cookie, csrf = csrf, id = volunteer, shift = shift,
                              address = address})
  end
end

function request()
  sent = sent + 1
  local who = volunteers[sent]
  if who == nil then
    return wrk.format("GET", "/static/live.js")
  end
  return wrk.format("POST", "/api/v1/shifts/" .. who.shift .. "/sign-ups", {
    ["Cookie"] = "katf_session=" .. who.cookie,
    ["X-CSRF-Token"] = who.csrf,
    ["X-Forwarded-For"] = who.address,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "real-" .. who.id,
  }, '{"volunteer_id": "' .. who.id .. '"}')
end

function response(status, headers, body)
  if body == nil or body:sub(1, 1) ~= "{" then
    return  -- the static file, asked for once every volunteer had been sent
  end
  answered = answered + 1
  if status == 201 then created = created + 1 elseif status ~= 200 then refused = refused + 1 end
  if answered == #volunteers then
    local file = io.open(finished_file, "w")
    file:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local created_all, refused_all = 0, 0
  for _, thread in ipairs(threads) do
    created_all = created_all + thread:get("created")
    refused_all = refused_all + thread:get("refused")
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "created": %d, "refused": %d, "socket_errors": %d,' ..
    ' "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, created_all, refused_all,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
