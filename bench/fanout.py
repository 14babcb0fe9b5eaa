"""Live-view fan-out: many SSE clients on the stadium board while sign-ups arrive at a steady
rate, and probes that measure how long a change takes to reach a live page.

Run in its own process by ``bench/run.py``. Prints one JSON object.

Each probe watches its own shift's stream and signs a volunteer up for that shift, then waits
for the push: the time from sending the command to the push is an upper bound of the
commit-to-push lag (it includes the command), the time from the command's answer to the push
a lower bound (the commit happened before the answer; a push that beats the answer counts 0).
Probes are spread over many shifts so each waits out the stream's coalescing window alone.
Each push's arrival (wall clock) is returned too: the runner, which can read the event store,
sets it against the time the sign-up was decided (its event's timestamp), a bound that leaves
out the time a request waited before being decided.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp

from bench.load import PASSWORD
from workers.simulation.client import Api, Phase, Refused, Session

COALESCE_PAUSE = 0.6  # past the stream's coalescing window (web/live.py)
CHANGED = b"event: changed"
STREAM_READ = 65_536


async def signed_in(api: Api, phone: str, address: str) -> tuple[Session, str]:
    session = await api.session(address)
    me = (await api.sign_in(session, phone, PASSWORD))["volunteer_id"]
    return session, me


async def stream(
    base: str, session: Session, key: str
) -> tuple[aiohttp.ClientSession, aiohttp.ClientResponse]:
    client = aiohttp.ClientSession(
        base_url=base,
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=10),
    )
    response = await client.get("/live/", params={"key": key}, headers=session.headers())
    return client, response


async def next_event(response: aiohttp.ClientResponse) -> str:
    while True:
        line = (await response.content.readline()).decode().strip()
        if not line and response.content.at_eof():
            raise ConnectionError("stream ended")
        if line.startswith("event: "):
            return line[7:]


async def watch(base: str, session: Session, key: str, stop_at: float, seen: list[int]) -> None:
    """A live page that only counts its pushes: a bare connection, its bytes searched for the
    event's name (aiohttp's parsing of ten thousand streams took more of the machine than the
    web processes serving them)."""
    address = urlsplit(base)
    host, port = address.hostname or "127.0.0.1", address.port or 80
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        seen[1] += 1
        return
    lines = [f"GET /live/?key={quote(key)} HTTP/1.1", f"Host: {host}:{port}"]
    lines += ["Accept: text/event-stream"] + [f"{k}: {v}" for k, v in session.headers().items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    tail = b""
    try:
        async with asyncio.timeout_at(stop_at):  # the loop's clock is time.monotonic()
            first = await reader.read(STREAM_READ)
            if not first.startswith(b"HTTP/1.1 200"):
                raise ConnectionError(first[:40])
            tail = first
            while chunk := await reader.read(STREAM_READ):
                data = tail + chunk
                seen[0] += data.count(CHANGED)
                tail = data[-(len(CHANGED) - 1) :]
            raise ConnectionError("stream ended")
    except TimeoutError:
        pass
    except (ConnectionError, OSError):
        seen[1] += 1
    finally:
        writer.close()


async def probe(
    api: Api,
    base: str,
    admin: Session,
    shift: str,
    volunteers: list[str],
    stop_at: float,
    lags: dict[str, list[float]],
    arrivals: list[tuple[str, str, float]],
) -> None:
    client, response = await stream(base, admin, f"shift:{shift}")
    try:
        while await next_event(response) != "ready":
            pass
        for volunteer in volunteers:
            if time.monotonic() >= stop_at:
                return
            pushed = asyncio.ensure_future(wait_for_change(response))
            sent = time.monotonic()
            try:
                await api.call(
                    "POST",
                    f"/api/v1/shifts/{shift}/sign-ups",
                    admin,
                    json={"volunteer_id": volunteer},
                    ok=(201,),
                )
            except Refused:
                pushed.cancel()
                continue
            answered = time.monotonic()
            arrived = await asyncio.wait_for(pushed, 10)
            lags["upper"].append(arrived - sent)
            lags["lower"].append(max(arrived - answered, 0.0))
            arrivals.append((shift, volunteer, time.time() - (time.monotonic() - arrived)))
            await asyncio.sleep(COALESCE_PAUSE)
    except (TimeoutError, ConnectionError, aiohttp.ClientError):
        lags["lost"].append(1.0)
    finally:
        response.close()
        await client.close()


async def wait_for_change(response: aiohttp.ClientResponse) -> float:
    while await next_event(response) != "changed":
        pass
    return time.monotonic()


async def paced_sign_ups(
    api: Api, volunteers: list[tuple[Session, str]], shifts: list[str], rate: float, stop_at: float
) -> Phase:
    """Sign-ups sent at ``rate`` a second whatever the answers, each volunteer taking the
    shifts in turn (the full ones answer 409)."""
    api.phase = phase = Phase("paced sign-ups")
    started, sent, tasks = time.monotonic(), 0, set()

    async def one(n: int) -> None:
        session, me = volunteers[n % len(volunteers)]
        shift = shifts[(n // len(volunteers)) % len(shifts)]
        with contextlib.suppress(Refused, aiohttp.ClientError, TimeoutError):
            await api.call(
                "POST", f"/api/v1/shifts/{shift}/sign-ups", session, json={"volunteer_id": me}
            )

    while (now := time.monotonic()) < stop_at:
        due = int((now - started) * rate)
        while sent < due:
            task = asyncio.create_task(one(sent))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            sent += 1
        await asyncio.sleep(0.002)
    await asyncio.gather(*tasks)
    phase.seconds = time.monotonic() - started
    return phase


async def fan_out(bases: list[str], spec: dict[str, Any], args: argparse.Namespace) -> dict:
    api = Api(bases, clients=256)
    await api.open()
    try:
        admin = await api.session()
        await api.sign_in(admin, spec["watcher"], PASSWORD)
        volunteers = [
            await signed_in(api, phone, f"10.9.{n // 256}.{n % 256}")
            for n, phone in enumerate(spec["phones"])
        ]
        resident = resident_kb(spec.get("web_pids", []))
        stop_at = time.monotonic() + args.seconds + 3
        seen = [0, 0]
        watchers = [
            asyncio.create_task(
                watch(bases[n % len(bases)], admin, f"packing:{spec['site']}", stop_at, seen)
            )
            for n in range(args.clients)
        ]
        await asyncio.sleep(2)  # every watcher connected
        connected = resident_kb(spec.get("web_pids", []))
        lags: dict[str, list[float]] = {"upper": [], "lower": [], "lost": []}
        arrivals: list[tuple[str, str, float]] = []
        probe_volunteers = spec["probe_volunteers"]
        probes = [
            probe(
                api,
                bases[n % len(bases)],
                admin,
                shift,
                probe_volunteers,
                stop_at - 1,
                lags,
                arrivals,
            )
            for n, shift in enumerate(spec["probe_shifts"])
        ]
        load, *_ = await asyncio.gather(
            paced_sign_ups(api, volunteers, spec["shifts"], args.rate, stop_at - 1), *probes
        )
        await asyncio.gather(*watchers)
    finally:
        await api.close()
    accepted = load.statuses.get("201", 0)
    return {
        "sse_clients": args.clients,
        "pushes_received": seen[0],
        "stream_errors": seen[1],
        "target_rate": args.rate,
        "load": load.report(),
        "accepted_per_s": round(accepted / load.seconds, 1) if load.seconds else 0,
        "memory_per_idle_stream_kb": (
            round((connected - resident) / args.clients, 1) if resident and connected else None
        ),
        "lag_samples": len(lags["upper"]),
        "lag_lost": len(lags["lost"]),
        "lag_upper_p50_ms": percentile(lags["upper"], 0.5),
        "lag_upper_p99_ms": percentile(lags["upper"], 0.99),
        "lag_lower_p50_ms": percentile(lags["lower"], 0.5),
        "lag_lower_p99_ms": percentile(lags["lower"], 0.99),
        "probe_arrivals": arrivals,
    }


def resident_kb(pids: list[int]) -> int:
    """The web processes' resident memory together (Linux), in KB; 0 when not known."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", action="append", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--clients", type=int, default=1000, help="SSE clients")
    parser.add_argument("--rate", type=float, default=500, help="sign-ups sent a second")
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    with open(args.spec) as file:
        spec = json.load(file)
    json.dump(asyncio.run(fan_out(args.base, spec, args)), sys.stdout)


if __name__ == "__main__":
    main()
