"""The rush as it really comes: every request is a different volunteer's first.

    python -m bench.real_rush [--volunteers 50000] [--shifts 50] [--connections 256]

``--volunteers`` distinct volunteers, registered and signed in beforehand (untimed, through
the HTTP API, each from an address of their own), rush ``--shifts`` shifts whose places add up
to exactly one each, ``--connections`` requests in flight (Debian's ``wrk``): each volunteer
signs up once. In the same run, on the same prepared database: the naive stack (one save per
command) on the same rush, and the suite's warm rush (64 volunteers signing up again and
again, ``bench.run``'s). Reported: accepted/s, latency, accepted against booked (the board's
count once the views have caught up) and the CPU milliseconds every process spent per accepted
sign-up. Writes ``bench/results/real-rush-<time>.{json,md}``.

    python -m bench.real_rush --compare ../katf-before --pairs 3 [--volunteers 20000]

prepares the volunteers once, then runs only the real rush, alternately with the servers of
another checkout (``--compare``, before) and of this one (after), each on a fresh copy of the
prepared database: a change's cost on the rush as it really comes, with the CPU every
process spent per accepted sign-up until the views caught up and the outbox's due messages
were sent. Writes ``bench/results/real-rush-pairs-<time>.{json,md}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench import run, seeding
from bench.load import PASSWORD
from coordination.calendar import utc_text
from web.bootstrap import bootstrap
from web.platform.settings import Settings

PREPARED = "katf_bench_people"
MEASURED = "katf_bench"
SCRIPT = Path(__file__).parent / "real_rush.lua"


def address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def national_id(n: int) -> str:
    """A valid, distinct national ID: ten thousand serials a birthday, in 1990."""
    day = n // 10_000
    return f"290{1 + day // 28 % 12:02d}{1 + day % 28:02d}01{n % 10_000:04d}1"


def seed(settings: Settings, volunteers: int, shifts: int) -> list[tuple[str, str]]:
    """The shifts, each with its share of places, and the volunteers: (phone, shift) pairs."""
    services = bootstrap(settings)
    try:
        site = seeding.open_stadium(services, "real-rush-stadium")
        places = [
            volunteers // shifts + (1 if n < volunteers % shifts else 0) for n in range(shifts)
        ]
        shift_ids = seeding.schedule_shifts(services, site, seeding.tomorrow_on_the_hour(), places)
        phones = [f"015{n:08d}" for n in range(volunteers)]
        seeding.register_volunteers(
            services,
            [(f"Rush Volunteer {n}", phone, national_id(n)) for n, phone in enumerate(phones)],
            threads=16,
        )
        return [(phone, shift_ids[n % shifts]) for n, phone in enumerate(phones)]
    finally:
        services.close()


async def sign_in_all(bases: list[str], people: list[tuple[str, str]]) -> list[str]:
    """Each volunteer signs in from their own address: a credentials line for the load. Sixty
    four clients take the volunteers in turn, forgetting each one's cookies before the next."""
    lines: list[str] = [""] * len(people)
    waiting = iter(range(len(people)))

    async def sign_in(client: httpx.AsyncClient) -> None:
        for n in waiting:
            phone, shift = people[n]
            headers = {"X-Forwarded-For": address(n)}
            client.cookies.clear()
            token = (await client.get("/api/v1/session", headers=headers)).json()["csrf_token"]
            answer = await client.post(
                "/api/v1/session",
                json={"phone": phone, "password": PASSWORD},
                headers={**headers, "X-CSRF-Token": token},
            )
            answer.raise_for_status()
            body = answer.json()
            cookie = answer.cookies["katf_session"]
            lines[n] = f"{cookie} {body['csrf_token']} {body['volunteer_id']} {shift} {address(n)}"

    clients = [httpx.AsyncClient(base_url=bases[n % len(bases)], timeout=120) for n in range(64)]
    try:
        await asyncio.gather(*(sign_in(client) for client in clients))
    finally:
        for client in clients:
            await client.aclose()
    return lines


def copy_prepared(name: str) -> Settings:
    with psycopg.connect(f"{run.SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        for attempt in range(50):  # the preparation's processes may still be letting go
            try:
                admin.execute(f"CREATE DATABASE {name} TEMPLATE {PREPARED}")
                break
            except psycopg.errors.ObjectInUse:
                time.sleep(0.2 * (attempt + 1))
    run.fresh_redis()
    return Settings(
        database_url=f"{run.SERVER}/{name}",
        secret_key=run.SECRET,
        fast_password_hashing=True,
        embedded_projections=False,
    )


def wrk(bases: list[str], lines: list[str], connections: int, cap_seconds: int) -> dict[str, Any]:
    files = []
    for number in range(len(bases)):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
            file.write("\n".join(lines[number :: len(bases)]) + "\n")
        files.append(file.name)
    each = max(connections // len(bases), 1)
    finished = [f"{file}.finished" for file in files]
    runs = [
        subprocess.Popen(
            [
                "wrk",
                "-t",
                "1",
                "-c",
                str(each),
                "-d",
                f"{cap_seconds}s",
                "--timeout",
                "60s",
                "--latency",
            ]
            + ["-s", str(SCRIPT), base, "--", file, marker],
            stdout=subprocess.PIPE,
            text=True,
        )
        for base, file, marker in zip(bases, files, finished, strict=True)
    ]
    deadline = time.monotonic() + cap_seconds
    while time.monotonic() < deadline and not all(Path(m).exists() for m in finished):
        time.sleep(0.05)
    for process in runs:
        process.send_signal(signal.SIGINT)  # wrk then reports what it has done
    outputs = [process.communicate(timeout=60)[0] for process in runs]
    try:
        reports = [json.loads(output.strip().splitlines()[-1]) for output in outputs]
    except (ValueError, IndexError):
        raise RuntimeError(f"wrk said: {outputs}") from None
    created = sum(r["created"] for r in reports)
    elapsed = max(r["duration_us"] for r in reports) / 1e6
    return {
        "load": "wrk",
        "connections": each * len(bases),
        "elapsed_s": round(elapsed, 2),
        "requests": created + sum(r["refused"] for r in reports),
        "accepted": created,
        "accepted_per_s": round(created / elapsed, 1),
        "p50_ms": round(max(r["p50_us"] for r in reports) / 1000, 1),
        "p95_ms": round(max(r["p95_us"] for r in reports) / 1000, 1),
        "p99_ms": round(max(r["p99_us"] for r in reports) / 1000, 1),
        "errors": {
            "refused": sum(r["refused"] for r in reports),
            "socket": sum(r["socket_errors"] for r in reports),
        },
    }


def booked(settings: Settings) -> int:
    with psycopg.connect(settings.database_url) as db:
        row = db.execute("SELECT coalesce(sum(taken), 0) FROM shift_board").fetchone()
    return int(row[0]) if row else 0


def messages_due(settings: Settings) -> int:
    """The outbox's messages due and not sent yet (none where there is no outbox)."""
    with psycopg.connect(settings.database_url) as db:
        row = db.execute(
            "SELECT count(*) FROM outbox_messages WHERE status = 'pending' AND due_at <= %s",
            (utc_text(datetime.now(UTC)),),
        ).fetchone()
    return int(row[0]) if row else 0


def wait_messages_sent(settings: Settings, timeout: float = 120) -> float | None:
    """Seconds until the outbox has nothing due left (None if it still had after timeout)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if messages_due(settings) == 0:
            return round(time.monotonic() - started, 2)
        time.sleep(0.2)
    return None


def measure(name: str, batched: bool, lines: list[str], args: argparse.Namespace) -> dict:
    settings = copy_prepared(MEASURED)
    with run.deployment(settings, batched, args.workers, 8700) as (bases, processes, _):
        measured = wrk(bases, lines, args.connections, args.cap_seconds)
        finished = time.monotonic()
        caught_up = run.wait_caught_up(settings)
        lag = round(time.monotonic() - finished, 2) if caught_up else None
        sent_after = wait_messages_sent(settings) if args.compare else None
    accepted = measured["accepted"] or 1
    return {
        "scenario": name,
        "batched": batched,
        "volunteers": len(lines),
        **measured,
        "booked": booked(settings),
        "projection_catch_up_after_load_s": lag,
        "messages_sent_after_views_s": sent_after,
        "cpu_s": processes.cpu,
        "cpu_ms_per_accepted": {
            key: round(1000 * seconds / accepted, 3) for key, seconds in processes.cpu.items()
        },
        "peak_memory_mb": processes.memory,
    }


def prepare(args: argparse.Namespace) -> tuple[list[str], dict[str, float]]:
    started = time.monotonic()
    settings = run.fresh_settings(PREPARED)
    people = seed(settings, args.volunteers, args.shifts)
    seeded = time.monotonic()
    with run.deployment(settings, True, args.workers, 8800) as (bases, _, _env):
        lines = asyncio.run(sign_in_all(bases, people))
    signed_in = time.monotonic()
    timing = {
        "registration_s": round(seeded - started, 1),
        "sign_in_s": round(signed_in - seeded, 1),
    }
    return lines, timing


def markdown(results: list[dict], preparation: dict[str, float], args: argparse.Namespace) -> str:
    real, naive, warm = results
    lines = [
        f"# The real rush: {args.volunteers} different volunteers, each once",
        "",
        f"{args.shifts} shifts, {args.connections} requests in flight, {args.workers} web"
        f" processes; preparation (untimed for the figures) {preparation}.",
        "",
        "| run | accepted/s | p50 ms | p95 ms | p99 ms | accepted | booked | errors |"
        " CPU ms per accepted |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['scenario']} | {r['accepted_per_s']} | {r['p50_ms']} | {r['p95_ms']} |"
            f" {r['p99_ms']} | {r.get('accepted', '')} | {r.get('booked', '')} |"
            f" {r['errors']} | {r.get('cpu_ms_per_accepted', '')} |"
        )
    lines += [
        "",
        f"- real rush / warm rush: {real['accepted_per_s'] / warm['accepted_per_s']:.2f}×",
        f"- real rush / naive: {real['accepted_per_s'] / naive['accepted_per_s']:.2f}×",
        f"- accepted = booked: {real['accepted'] == real['booked']}"
        f" (naive: {naive['accepted'] == naive['booked']})",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=50_000)
    parser.add_argument("--shifts", type=int, default=50)
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cap-seconds", type=int, default=600, help="the longest a rush may run")
    parser.add_argument("--warm-seconds", type=float, default=15)
    parser.add_argument("--compare", type=Path, help="another checkout: the before side of pairs")
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    if args.compare:
        compare(args)
        return
    stamp = datetime.now(UTC).strftime("real-rush-%Y%m%dT%H%M%SZ")
    lines, preparation = prepare(args)
    warm = run.rush(
        "warm rush (64 volunteers again and again), batched",
        True,
        64,
        args.warm_seconds,
        args.workers,
    )
    warm["cpu_ms_per_accepted"] = {
        key: round(1000 * seconds / max(warm["accepted"], 1), 3)
        for key, seconds in warm["cpu_s"].items()
    }
    results = [
        measure("real rush, batched", True, lines, args),
        measure("real rush, naive (one save per command)", False, lines, args),
        warm,
    ]
    keep(stamp, preparation, results, markdown(results, preparation, args))


def compare(args: argparse.Namespace) -> None:
    """The real rush alone, before-after then after-before, on one preparation."""
    stamp = datetime.now(UTC).strftime("real-rush-pairs-%Y%m%dT%H%M%SZ")
    here = Path.cwd()
    checkouts = {"before": args.compare.resolve(), "after": here}
    lines, preparation = prepare(args)
    order = [
        side
        for n in range(args.pairs)
        for side in (("before", "after"), ("after", "before"))[n % 2]
    ]
    runs = []
    for side in order:
        os.chdir(checkouts[side])  # the servers are started from the checkout's code
        try:
            result = measure(f"real rush, batched ({side})", True, lines, args)
        finally:
            os.chdir(here)
        runs.append({"side": side, "checkout": str(checkouts[side]), **result})
        print(side, result["accepted_per_s"], result["cpu_ms_per_accepted"], flush=True)
    keep(stamp, preparation, runs, pairs_markdown(runs, preparation, args))


def keep(stamp: str, preparation: dict[str, float], runs: list[dict], text: str) -> None:
    """The runs as JSON and the text as Markdown in ``bench/results/<stamp>``, the text shown."""
    run.RESULTS.mkdir(exist_ok=True)
    (run.RESULTS / f"{stamp}.json").write_text(
        json.dumps({"preparation": preparation, "runs": runs}, indent=2)
    )
    (run.RESULTS / f"{stamp}.md").write_text(text)
    print(text)


def pairs_markdown(
    runs: list[dict], preparation: dict[str, float], args: argparse.Namespace
) -> str:
    processes = sorted({key for r in runs for key in r["cpu_ms_per_accepted"]})
    lines = [
        f"# The real rush in pairs: {args.volunteers} different volunteers, each once",
        "",
        f"before = `{args.compare}`, after = this checkout; {args.shifts} shifts,"
        f" {args.connections} requests in flight; preparation {preparation}. CPU ms per"
        " accepted sign-up until the views caught up and the outbox's due messages were sent.",
        "",
        "| run | side | accepted/s | p99 ms | accepted | booked | messages sent after views s | "
        + " | ".join(processes)
        + " | all |",
        "|---" * (8 + len(processes)) + "|",
    ]
    for n, r in enumerate(runs, 1):
        cpu = r["cpu_ms_per_accepted"]
        lines.append(
            f"| {n} | {r['side']} | {r['accepted_per_s']} | {r['p99_ms']} | {r['accepted']} |"
            f" {r['booked']} | {r['messages_sent_after_views_s']} | "
            + " | ".join(str(cpu.get(key, "")) for key in processes)
            + f" | {round(sum(cpu.values()), 3)} |"
        )
    lines += ["", "Medians:", ""]
    for side in ("before", "after"):
        mine = [r for r in runs if r["side"] == side]
        total = statistics.median(sum(r["cpu_ms_per_accepted"].values()) for r in mine)
        lines.append(
            f"- {side}: accepted/s {statistics.median(r['accepted_per_s'] for r in mine)},"
            f" p99 ms {statistics.median(r['p99_ms'] for r in mine)},"
            f" CPU ms per accepted {round(total, 3)}"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
