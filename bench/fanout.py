"""Live-view fan-out: many SSE clients watch a shift while a probe measures commit-to-push lag.

Run in its own process by ``bench/run.py`` while the sign-up rush runs. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

import httpx

from bench.load import signed_in


async def roomy(client: httpx.AsyncClient, streams: int) -> httpx.AsyncClient:
    """The same session, with room for as many open streams as watchers."""
    wide = httpx.AsyncClient(
        base_url=client.base_url,
        cookies=client.cookies,
        headers=client.headers,
        limits=httpx.Limits(max_connections=streams + 10),
    )
    await client.aclose()
    return wide


async def watch(client: httpx.AsyncClient, key: str, stop_at: float, seen: list[int]) -> None:
    try:
        async with client.stream(
            "GET", "/live/", params={"key": key}, timeout=httpx.Timeout(5, read=None)
        ) as stream:
            async for line in stream.aiter_lines():
                if line == "event: changed":
                    seen[0] += 1
                if time.monotonic() >= stop_at:
                    return
    except httpx.HTTPError:
        seen[1] += 1


async def probe(
    base: str, phone: str, volunteers: list[str], shift: str, stop_at: float, lags: list[float]
) -> None:
    """Signs volunteers up one at a time; the lag runs from sending the command to the push on
    its own stream, so it includes the command itself (an upper bound of commit-to-push)."""
    client = await signed_in(base, phone)
    try:
        async with client.stream(
            "GET", "/live/", params={"key": f"shift:{shift}"}, timeout=httpx.Timeout(5, read=None)
        ) as stream:
            lines = stream.aiter_lines()
            while await anext(lines) != "event: ready":
                pass
            for volunteer in volunteers:
                if time.monotonic() >= stop_at:
                    return
                sent = time.monotonic()  # the push may arrive before the answer is read
                answer = await client.post(
                    f"/api/v1/shifts/{shift}/sign-ups", json={"volunteer_id": volunteer}
                )
                if answer.status_code != 201:
                    continue
                while await asyncio.wait_for(anext(lines), 5) != "event: changed":
                    pass
                lags.append(time.monotonic() - sent)
                await asyncio.sleep(0.6)  # past the stream's coalescing window
    finally:
        await client.aclose()


async def fan_out(bases: list[str], spec: dict, clients: int, seconds: float) -> dict:
    stop_at = time.monotonic() + seconds
    watchers = [await roomy(await signed_in(base, spec["watcher"]), clients) for base in bases]
    seen, lags = [0, 0], []
    tasks = [
        asyncio.create_task(
            watch(watchers[i % len(watchers)], f"shift:{spec['hot']}", stop_at, seen)
        )
        for i in range(clients)
    ]
    await asyncio.sleep(1)
    await probe(
        bases[0], spec["prober"], spec["probe_volunteers"], spec["probe_shift"], stop_at, lags
    )
    await asyncio.gather(*tasks, return_exceptions=True)
    for watcher in watchers:
        await watcher.aclose()
    lags.sort()
    pick = (
        (lambda q: round(lags[min(int(q * len(lags)), len(lags) - 1)] * 1000, 1))
        if lags
        else (lambda q: None)
    )
    return {
        "sse_clients": clients,
        "pushes_received": seen[0],
        "stream_errors": seen[1],
        "lag_samples": len(lags),
        "lag_p50_ms": pick(0.5),
        "lag_p99_ms": pick(0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", action="append", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    with open(args.spec) as file:
        spec = json.load(file)
    json.dump(asyncio.run(fan_out(args.base, spec, args.clients, args.seconds)), sys.stdout)


if __name__ == "__main__":
    main()
