"""The load process: signed-in volunteers rushing for shifts over HTTP, bounded in time.

Run by ``bench/run.py`` in its own process so the load's CPU is not the servers'.
Prints one JSON object: every request's status, error code and latency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

import httpx

PASSWORD = "bench-volunteer-password-42"


async def signed_in(base: str, phone: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=2))
    token = (await client.get("/api/v1/session")).json()["csrf_token"]
    answer = await client.post(
        "/api/v1/session",
        json={"phone": phone, "password": PASSWORD},
        headers={"X-CSRF-Token": token},
    )
    answer.raise_for_status()
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    client.headers["X-Volunteer"] = answer.json()["volunteer_id"] or ""
    return client


async def volunteer(
    client: httpx.AsyncClient,
    shifts: list[str],
    stop_at: float,
    samples: list[tuple[int, str, float, float]],
) -> None:
    me = client.headers["X-Volunteer"]
    for number, shift in enumerate(shifts):
        if time.monotonic() >= stop_at:
            return
        started = time.monotonic()
        try:
            response = await client.post(
                f"/api/v1/shifts/{shift}/sign-ups",
                json={"volunteer_id": me},
                headers={"Idempotency-Key": f"{me}-{number}"},
            )
            code = (
                response.json().get("error", {}).get("code", "")
                if response.status_code >= 400
                else ""
            )
            status = response.status_code
        except httpx.HTTPError as error:
            status, code = 0, type(error).__name__
        samples.append((status, code, time.monotonic() - started, time.time()))


async def rush(bases: list[str], phones: list[str], shifts: list[str], seconds: float) -> dict:
    clients = await asyncio.gather(
        *(signed_in(bases[i % len(bases)], phone) for i, phone in enumerate(phones))
    )
    samples: list[tuple[int, str, float, float]] = []
    started = time.monotonic()
    try:
        await asyncio.gather(*(volunteer(c, shifts, started + seconds, samples) for c in clients))
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return {"elapsed": time.monotonic() - started, "samples": samples}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", action="append", required=True)
    parser.add_argument("--spec", required=True, help="JSON file with phones and shifts")
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    with open(args.spec) as file:
        spec = json.load(file)
    result = asyncio.run(rush(args.base, spec["phones"], spec["shifts"], args.seconds))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
