"""The outbox delivered: N messages (default 20,000) sent by a real ``katf deliver`` process
to a local HTTP SMS gateway that answers 503 to a share of requests (default 30%) at random
and takes a few milliseconds for each SMS, on a fresh PostgreSQL database.

    python -m bench.delivery [--messages 20000] [--naive-messages 2000] [--failure-rate 0.3]
        [--pause-ms 3] [--first-retry 0.01] [--concurrency N ...] [--checkout DIR] [--profile]
        [--kills K]

The messages are written with the projection's own ``insert_message`` (and its contacts as
the projection writes them), in one transaction, not through events: registering and
signing up 20,000 volunteers would take longer than the delivery measured. Retries wait
``--first-retry`` seconds, doubled each time (the worker's 30 s compressed, so eight attempts
fit in a run), an idle worker waits ``--interval`` instead of 1 s, and ``--concurrency``
sets how many messages it sends at once; everything else is the worker's own code and
settings. Measured: messages
sent per second, the time until every message is sent or dead, attempts per message, SMS the
gateway would have sent twice without its reference check, messages lost (neither sent nor
dead, or sent but never reaching the gateway), the worker's CPU and PostgreSQL's. With
``--kills K`` the worker is SIGKILLed K times along the way (at each K+1-th of the messages
sent) and started again, its lease shortened to ``KILLED_LEASE_SECONDS`` so that what a
killed worker held is soon taken again: every message still reaches the gateway, and what a
killed worker had sent but not recorded goes again under its reference, dropped as a repeat.

Writes ``bench/results/delivery-<time>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

from bench.run import RESULTS, cpu_seconds, environment, fresh_settings, postgres_cpu
from coordination.calendar import utc_text
from projections.outbox import insert_message
from tests.processes import free_port
from web.bootstrap import bootstrap
from web.platform.settings import Settings

TOKEN = "bench-gateway-token"
KILLED_LEASE_SECONDS = 3
# The worker as `katf deliver` runs it, with its retries' first wait (and the concurrency,
# for variants that have one) set from the command line.
WORKER = (
    "import sys, datetime, workers.delivery as d;"
    " d.FIRST_RETRY = datetime.timedelta(seconds=float(sys.argv[1]));"
    " d.CONCURRENCY = int(sys.argv[2]);"
    " d.run_delivery.__defaults__ = (float(sys.argv[3]),);"
    " d.CLAIMED_PER_SENDER = int(sys.argv[4]);"
    " from web.cli import main; sys.exit(main(['deliver']))"
)


class Gateway:
    """Counts by reference: requests, and 2xx answers (the first is the SMS sent)."""

    def __init__(self, failure_rate: float, pause: float) -> None:
        self.failure_rate, self.pause = failure_rate, pause
        self.requests: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()
        self.refused = 0
        self.first_at = 0.0
        self.last_at = 0.0

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        reference = body["reference"]
        self.requests[reference] += 1
        self.first_at = self.first_at or time.time()
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.Response(status=401)
        if random.random() < self.failure_rate:
            self.refused += 1
            return web.Response(status=503)
        await asyncio.sleep(self.pause)  # the SMS sent; requests overlap
        self.accepted[reference] += 1
        self.last_at = time.time()
        return web.Response(status=200)

    async def counts(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "requests": self.requests,
                "accepted": self.accepted,
                "refused": self.refused,
                "first_at": self.first_at,
                "last_at": self.last_at,
            }
        )


def serve_gateway(port: int, failure_rate: float, pause: float) -> None:
    """The fake SMS gateway, a process of its own (aiohttp): not the bottleneck, and its CPU
    apart from the worker's."""
    state = Gateway(failure_rate, pause)
    app = web.Application()
    app.router.add_post("/send", state.send)
    app.router.add_get("/counts", state.counts)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None, backlog=1024)


@contextmanager
def gateway(failure_rate: float, pause: float) -> Iterator[tuple[str, Callable[[], dict]]]:
    """The gateway's URL and a function that reads its counts."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.delivery", "--serve-gateway", str(port)]
        + ["--failure-rate", str(failure_rate), "--pause-ms", str(pause * 1000)]
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{base}/counts", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.05)

    def counts() -> dict:
        found = httpx.get(f"{base}/counts", timeout=60).json()
        found["cpu_s"] = cpu_seconds(process.pid)
        return found

    try:
        yield f"{base}/send", counts
    finally:
        process.terminate()
        process.wait(timeout=10)


def fill_outbox(settings: Settings, messages: int, reminders: int = 0) -> tuple[list[str], float]:
    """``messages`` in all, one per volunteer, in Arabic and English: sign-up confirmations
    due now, and ``reminders`` of them the reminder two hours before a shift that starts in
    90 minutes, which the worker's first reminder round writes (as on the launch day) for
    the shift's holders; the keys every message will have."""
    services = bootstrap(settings)
    began = time.perf_counter()
    now = datetime.now(UTC)
    confirmations = messages - reminders
    shift_id, starts_at = "bench-shift", utc_text(now + timedelta(minutes=90))
    keys = []
    try:
        with services.db.transaction() as cursor:
            for n in range(messages):
                person = f"bench-volunteer-{n}"
                cursor.execute(
                    "INSERT INTO outbox_contacts (person_id, phone, locale) VALUES (%s, %s, %s)",
                    (person, services.sealer.seal(f"010{n:08d}"), "en" if n % 4 == 0 else "ar"),
                )
                if n >= confirmations:
                    cursor.execute(
                        "INSERT INTO outbox_holders (shift_id, volunteer_id) VALUES (%s, %s)",
                        (shift_id, person),
                    )
                    keys.append(f"reminder_soon:{shift_id}:{starts_at}:{person}:sms")
                    continue
                reference = f"bench-event-{n}:1:{person}"
                insert_message(
                    cursor,
                    services.sealer,
                    reference,
                    person,
                    "signed_up",
                    {"day": "05/03", "time": "10:00"},
                    at=now,
                    urgent=False,
                    expires_at=now + timedelta(hours=24),
                    counted=False,
                )
                keys.append(f"{reference}:sms")
            if reminders:
                cursor.execute(
                    "INSERT INTO outbox_sites (site_id, kind, latitude, longitude)"
                    " VALUES ('bench-site', 'packing', 30.04, 31.24)"
                )
                cursor.execute(
                    "INSERT INTO outbox_shifts (shift_id, site_id, role, starts_at, ends_at)"
                    " VALUES (%s, 'bench-site', 'packer', %s, %s)",
                    (shift_id, starts_at, utc_text(now + timedelta(hours=5))),
                )
    finally:
        services.close()
    return keys, time.perf_counter() - began


def statuses(settings: Settings) -> dict[str, int]:
    services = bootstrap(settings)
    try:
        rows = services.db.query(
            "SELECT status, COUNT(*) AS n FROM outbox_messages GROUP BY status"
        )
        return {row["status"]: int(row["n"]) for row in rows}
    finally:
        services.close()


def label(concurrency: int) -> str:
    return "one at a time (naive)" if concurrency == 1 else f"{concurrency} side by side"


def child_of(pid: int) -> int:
    """py-spy's child, the worker it records (the pid itself when not recorded)."""
    for _ in range(100):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.05)
    return pid


def run(args: argparse.Namespace, concurrency: int) -> dict[str, Any]:
    variant = label(concurrency) + (f", worker of {args.checkout}" if args.checkout else "")
    settings = fresh_settings("katf_bench_delivery")
    messages = args.naive_messages if concurrency == 1 else args.messages
    keys, filled = fill_outbox(settings, messages, args.reminders if concurrency > 1 else 0)
    services = bootstrap(settings)
    with gateway(args.failure_rate, args.pause_ms / 1000) as (url, counts):
        env = environment(settings, batched=True)
        env.update(
            KATF_SMS_URL=url,
            KATF_SMS_TOKEN=TOKEN,
            KATF_QUIET_HOURS="off",
            KATF_DELIVERY_CONCURRENCY=str(concurrency),  # the setting; CONCURRENCY for older code
        )
        if args.kills:
            env["KATF_DELIVERY_LEASE_SECONDS"] = str(KILLED_LEASE_SECONDS)
        postgres_before = postgres_cpu()
        load_before = os.getloadavg()
        began = time.time()
        command = [sys.executable, "-c", WORKER, str(args.first_retry), str(concurrency)]
        command += [str(args.interval), str(args.claimed_per_sender)]
        profile = None
        if args.profile:  # py-spy cannot attach here, so the worker is started under it
            profile = f"/tmp/delivery-{concurrency}-{os.getpid()}.txt"
            spy = str(Path(sys.executable).parent / "py-spy")
            command = [spy, "record", "--gil", "-f", "raw", "-o", profile, "--", *command]
        if args.checkout:  # another checkout's worker (its code before a change)
            env["PYTHONPATH"] = args.checkout
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed as the worker stops

        def start() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                command, env=env, cwd=args.checkout or None, stdout=errors, stderr=errors
            )

        worker = start()
        worker_pid = child_of(worker.pid) if args.profile else worker.pid
        killed_cpu, kills = 0.0, list[int]()  # the killed workers' CPU, the sent count at each
        try:
            done: dict[str, int] = {}
            started_cpu, most_sent_at = None, None
            while time.time() < began + args.timeout:
                rows = services.db.query(
                    "SELECT status, COUNT(*) AS n FROM outbox_messages GROUP BY status"
                )
                done = {row["status"]: int(row["n"]) for row in rows}
                if started_cpu is None and done.get("pending", 0) < messages - args.reminders:
                    started_cpu = cpu_seconds(worker_pid)  # the start-up's, about
                if most_sent_at is None and done.get("sent", 0) >= messages * 0.99:
                    most_sent_at = time.time()
                if len(kills) < args.kills and done.get("sent", 0) >= (
                    (len(kills) + 1) * messages // (args.kills + 1)
                ):
                    killed_cpu += cpu_seconds(worker_pid)
                    os.kill(worker_pid, signal.SIGKILL)
                    worker.wait()
                    kills.append(done.get("sent", 0))
                    worker = start()
                    worker_pid = worker.pid
                    continue
                if done.get("pending", 0) == 0 and sum(done.values()) >= messages:
                    break  # every message written (the reminders by the worker) and settled
                if worker.poll() is not None:
                    errors.seek(0)
                    said = errors.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"the worker stopped ({worker.returncode}): {said}")
                time.sleep(0.2)  # a count of every message: often, it would load the server
            finished = time.time()
            worker_cpu = killed_cpu + cpu_seconds(worker_pid)
        finally:
            if args.profile:
                os.kill(worker_pid, signal.SIGTERM)  # py-spy writes its file as it ends
            else:
                worker.terminate()
            worker.wait(timeout=30)
            errors.close()
        postgres_after = postgres_cpu()
        load_after = os.getloadavg()
        rows = services.db.query("SELECT message_key, status, attempts FROM outbox_messages")
        sms = counts()
    services.close()
    elapsed = finished - sms["first_at"]
    by_key = {row["message_key"]: row for row in rows}
    sent = {key for key, row in by_key.items() if row["status"] == "sent"}
    dead = {key for key, row in by_key.items() if row["status"] == "dead"}
    attempts = Counter(int(row["attempts"]) for row in rows)
    first_accepted = set(sms["accepted"])
    return {
        "variant": variant,
        "messages": messages,
        "of_which_reminders": args.reminders if concurrency > 1 else 0,
        "killed_at_sent": kills,
        "outbox_filled_s": round(filled, 2),
        "worker_start_s": round(sms["first_at"] - began, 2),
        "seconds_until_all_sent_or_dead": round(elapsed, 2),
        "seconds_until_99pct_sent": round((most_sent_at or finished) - sms["first_at"], 2),
        "sent_per_s_until_99pct": round(
            messages * 0.99 / max((most_sent_at or finished) - sms["first_at"], 1e-9), 1
        ),
        "timed_out": done.get("pending", 0) > 0,
        "statuses": done,
        "sent_per_s": round(len(sent) / elapsed, 1),
        "gateway_sms_per_s_first_to_last": round(
            len(first_accepted) / max(sms["last_at"] - sms["first_at"], 1e-9), 1
        ),
        "attempts_per_message": round(sum(a * n for a, n in attempts.items()) / len(rows), 3),
        "attempts_histogram": dict(sorted(attempts.items())),
        "gateway_requests": sum(sms["requests"].values()),
        "gateway_refused_503": sms["refused"],
        "gateway_repeats_dropped": sum(n - 1 for n in sms["accepted"].values() if n > 1),
        "sms_twice_without_reference_check": sum(1 for n in sms["accepted"].values() if n > 1),
        "gateway_cpu_s": round(sms["cpu_s"], 2),
        "lost_neither_sent_nor_dead": len(set(keys) - sent - dead),
        "sent_not_at_gateway": len(sent - first_accepted),
        "dead_but_at_gateway": len(dead & first_accepted),
        "at_gateway_not_in_outbox": len(first_accepted - set(keys)),
        "worker_cpu_s": round(worker_cpu, 2),
        "worker_start_cpu_s": round(started_cpu or 0.0, 2),
        "worker_cpu_ms_per_message": round(
            (worker_cpu - (started_cpu or 0.0)) * 1000 / messages, 3
        ),
        "postgres_cpu_s": round(
            sum(cpu - postgres_before.get(pid, 0.0) for pid, cpu in postgres_after.items()), 2
        ),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "profile": profile,
    }


def write(results: list[dict[str, Any]], args: argparse.Namespace, note: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(exist_ok=True)
    document = {"arguments": vars(args), "cores": os.cpu_count(), "note": note, "runs": results}
    (RESULTS / f"delivery-{stamp}.json").write_text(json.dumps(document, indent=2))
    lines = [
        f"Gateway refusing {args.failure_rate:.0%} (503), "
        f"{args.pause_ms} ms an SMS, first retry after {args.first_retry} s (doubled), "
        f"{os.cpu_count()} cores. {note}".strip(),
        "",
        "| variant | messages | sent/s (to 99%) | s to all sent or dead (worker start)"
        " | sent | dead | attempts/msg | repeats dropped | SMS twice w/o reference | lost"
        " | CPU s: worker (ms/msg), gateway, PostgreSQL | load avg before → after |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lost = r["lost_neither_sent_nor_dead"] + r["sent_not_at_gateway"]
        late = " (timed out)" if r["timed_out"] else ""
        kills = r.get("killed_at_sent") or []
        killed = f", SIGKILLed at {', '.join(map(str, kills))} sent" if kills else ""
        lines.append(
            f"| {r['variant']}{killed} | {r['messages']}"
            f" | {r['sent_per_s']} ({r['sent_per_s_until_99pct']})"
            f" | {r['seconds_until_all_sent_or_dead']}{late} ({r['worker_start_s']})"
            f" | {r['statuses'].get('sent', 0)} | {r['statuses'].get('dead', 0)}"
            f" | {r['attempts_per_message']} | {r['gateway_repeats_dropped']}"
            f" | {r['sms_twice_without_reference_check']} | {lost}"
            f" | {r['worker_cpu_s']} ({r['worker_cpu_ms_per_message']}),"
            f" {r['gateway_cpu_s']}, {r['postgres_cpu_s']}"
            f" | {r['load_average_before'][0]} → {r['load_average_after'][0]} |"
        )
    (RESULTS / f"delivery-{stamp}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return stamp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument(
        "--naive-messages", type=int, default=2_000, help="for one at a time (about 100/s)"
    )
    parser.add_argument(
        "--reminders", type=int, default=0, help="of --messages, reminders the worker writes"
    )
    parser.add_argument("--checkout", help="run the worker of this checkout (e.g. a worktree)")
    parser.add_argument("--failure-rate", type=float, default=0.3)
    parser.add_argument("--pause-ms", type=float, default=3.0, help="each SMS at the gateway")
    parser.add_argument("--first-retry", type=float, default=0.01, help="seconds, doubled")
    parser.add_argument(
        "--interval", type=float, default=0.05, help="seconds the worker waits when idle"
    )
    parser.add_argument("--timeout", type=float, default=150.0, help="seconds a run may take")
    parser.add_argument(
        "--concurrency",
        type=int,
        action="append",
        help="messages the worker sends at once (repeatable; default: 1, 16 and 32)",
    )
    parser.add_argument(
        "--claimed-per-sender", type=int, default=8, help="a round's claim, side by side"
    )
    parser.add_argument("--profile", action="store_true", help="the worker under py-spy")
    parser.add_argument("--kills", type=int, default=0, help="SIGKILLs of the worker on the way")
    parser.add_argument("--note", default="")
    parser.add_argument("--serve-gateway", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.kills and args.profile:
        parser.error("--kills and --profile: a killed worker leaves no profile")
    if args.serve_gateway:
        serve_gateway(args.serve_gateway, args.failure_rate, args.pause_ms / 1000)
        return
    args.concurrency = args.concurrency or [1, 16, 32]
    results = [run(args, concurrency) for concurrency in args.concurrency]
    write(results, args, args.note)


if __name__ == "__main__":
    main()
