"""The stadium gates open: a burst of badge scans at 64 desks, one in ten scanned twice,
naive (one save per scan) and batched in the same run.

    python -m bench.check_ins [--volunteers 3000] [--workers 2]

Writes ``bench/results/check-ins-<time>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import aiohttp

from bench.run import (
    RESULTS,
    cpu_seconds,
    environment,
    fresh_database,
    peak_memory_mb,
    percentile,
    start,
    wait_serving,
)
from tests.e2e.stadium import stadium, volunteers_on
from web.bootstrap import bootstrap, migrate_database
from web.platform.settings import Settings

DESKS = 64


async def burst(bases: list[str], world: dict[str, Any], scans: list[str]) -> dict[str, Any]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for code in scans:
        queue.put_nowait(code)
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {world['desk']}"}
    # aiohttp, as the launch day's client: a load process that costs little next to the servers
    clients = [
        aiohttp.ClientSession(
            base_url=base,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=60),
            connector=aiohttp.TCPConnector(limit=DESKS),
        )
        for base in bases
    ]

    async def desk(number: int) -> None:
        client = clients[number % len(clients)]
        while not queue.empty():
            code = queue.get_nowait()
            began = time.perf_counter()
            async with client.post(
                f"/api/v1/sites/{world['site']}/check-ins",
                json={"badge": code, "desk": f"Gate {number}"},
                headers={"Idempotency-Key": f"{number}-{random.random()}"},
            ) as answer:
                await answer.read()
            latencies.append(time.perf_counter() - began)
            statuses[answer.status] += 1

    began = time.perf_counter()
    await asyncio.gather(*(desk(n) for n in range(DESKS)))
    elapsed = time.perf_counter() - began
    for client in clients:
        await client.close()
    return {
        "scans": len(scans),
        "seconds": round(elapsed, 2),
        "accepted_per_second": round((statuses[201] + statuses[200]) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "statuses": dict(statuses),
    }


def scenario(name: str, batched: bool, volunteers: int, workers: int) -> dict[str, Any]:
    settings = Settings(
        database_url=fresh_database("katf_bench_check_ins"),
        secret_key="bench-secret-key",
        fast_password_hashing=True,
        embedded_projections=False,
    )
    migrate_database(settings)
    services = bootstrap(settings)
    try:
        world = stadium(services, capacity=volunteers)
        codes = volunteers_on(services, world["shift"], volunteers)
        services.runner.catch_up()
    finally:
        services.close()
    env = environment(settings, batched)
    bases = [f"http://127.0.0.1:{8300 + n}" for n in range(workers)]
    processes = [start(env, "serve", "--port", base.rsplit(":", 1)[1]) for base in bases]
    processes.append(start(env, "project"))
    try:
        for base in bases:
            wait_serving(base)
        scans = codes + random.sample(codes, volunteers // 10)
        random.shuffle(scans)
        result = asyncio.run(burst(bases, world, scans))
        result["cpu_seconds"] = [round(cpu_seconds(p.pid), 1) for p in processes]
        result["peak_memory_mb"] = [round(peak_memory_mb(p.pid), 1) for p in processes]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
    return {"scenario": name, "batched": batched, "workers": workers, **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--volunteers", type=int, default=3_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    results = [
        scenario("check-in burst, naive", False, args.volunteers, args.workers),
        scenario("check-in burst, batched", True, args.volunteers, args.workers),
    ]
    ratio = results[1]["accepted_per_second"] / max(results[0]["accepted_per_second"], 0.1)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"check-ins-{stamp}.json").write_text(json.dumps(results, indent=2))
    lines = [
        "| scenario | scans | accepted/s | p50 ms | p95 ms | p99 ms | statuses | ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        shown = f"{ratio:.2f}×" if result["batched"] else "1×"
        lines.append(
            f"| {result['scenario']} | {result['scans']} | {result['accepted_per_second']}"
            f" | {result['p50_ms']} | {result['p95_ms']} | {result['p99_ms']}"
            f" | {result['statuses']} | {shown} |"
        )
    (RESULTS / f"check-ins-{stamp}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
