"""The benchmark runner: real PostgreSQL, several web processes, a projection worker, and a
separate load process over HTTP on 127.0.0.1. Every figure is also compared with the naive
path (one save per command) measured in the same run.

    python -m bench.run [--clients 64] [--seconds 15] [--workers 2]

Writes ``bench/results/<time>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg
import redis

from bench import seeding
from bench.load import PASSWORD
from coordination.areas.accounts.commands import CreateUser
from coordination.passwords import DEFAULT_PROFILE, PROFILES, password_hasher
from coordination.permissions import SYSTEM, Grant, Role
from web.bootstrap import bootstrap, migrate_database
from web.platform.settings import Settings
from web.rebuild import rebuild_every_view

RESULTS = Path(__file__).parent / "results"
SCENARIOS = ("rush", "live", "rebuild", "pages", "day")
SERVER = os.environ.get("KATF_BENCH_DATABASE_SERVER", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("KATF_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SECRET = "bench-secret-key"
PROBES = 20  # live-lag probes, each on its own shift


def fresh_redis() -> None:
    """The bench's own Redis database, emptied: no rate-limit counter or session of an
    earlier run carries over."""
    client = redis.Redis.from_url(REDIS)
    client.flushdb()
    client.close()


def fresh_database(name: str) -> str:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    return f"{SERVER}/{name}"


def seed(settings: Settings, clients: int, shifts: int) -> dict[str, list[str]]:
    """Hourly shifts that never overlap, each for three quarters of the clients."""
    services = bootstrap(settings)
    try:
        site = seeding.open_stadium(services, "bench-stadium")
        first = seeding.tomorrow_on_the_hour()
        shift_ids = seeding.schedule_shifts(
            services, site, first, [max(clients * 3 // 4, 1)] * shifts
        )
        phones = [f"010{n:08d}" for n in range(1, clients + 1)]
        seeding.register_volunteers(
            services,
            [
                (f"Bench Volunteer {n}", phone, f"290010101{n:04d}1")
                for n, phone in enumerate(phones)
            ],
        )
        admin = "01199999999"
        services.dispatcher.run(
            CreateUser(admin, "Bench Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM
        )
        probe_shifts = seeding.schedule_shifts(
            services,
            site,
            first + timedelta(days=60),
            [10_000] * PROBES,
            role="runner",
            every=timedelta(hours=2),
            length=timedelta(hours=1),
        )
        probe_volunteers = seeding.register_volunteers(
            services, [(f"Probe {n}", f"012{n:08d}", f"290010102{n:04d}1") for n in range(60)]
        )
        return {
            "phones": phones,
            "shifts": shift_ids,
            "watcher": admin,
            "prober": admin,
            "site": str(site),
            "probe_shifts": probe_shifts,
            "probe_volunteers": probe_volunteers,
        }
    finally:
        services.close()


def environment(
    settings: Settings, batched: bool, password_profile: str | None = None
) -> dict[str, str]:
    """``password_profile``: one of ``coordination.passwords.PROFILES``; unset, argon2's
    cheapest parameters, as the tests use."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATF_")}
    env.update(
        KATF_DATABASE_URL=settings.database_url,
        KATF_SECRET_KEY=SECRET,
        KATF_REDIS_URL=REDIS,
        KATF_SECURE_COOKIES="0",
        KATF_FAST_PASSWORD_HASHING_FOR_TESTS="0" if password_profile else "1",
        KATF_PASSWORD_PROFILE=password_profile or DEFAULT_PROFILE,
        KATF_BATCH_COMMANDS="1" if batched else "0",
        # The load stands in for the campaign's proxy: each volunteer's requests carry their
        # own address in X-Forwarded-For, so the per-address limits see what they would.
        KATF_TRUSTED_PROXIES="127.0.0.1",
    )
    return env


def start(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "web.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_serving(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{base}/api/v1/governorates", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{base} did not start")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> dict[int, float]:
    """CPU seconds of each PostgreSQL process of this machine (none if it runs elsewhere):
    the pools keep their server processes for a whole scenario."""
    seen = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres":
                seen[int(entry.name)] = cpu_seconds(int(entry.name))
        except OSError:
            continue  # ended meanwhile
    return seen


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(int(q * len(values)), len(values) - 1)] * 1000


def rush(
    name: str,
    batched: bool,
    clients: int,
    seconds: float,
    workers: int,
    live: tuple[int, float] | None = None,
) -> dict:
    """The sign-up rush at full speed; or, with ``live`` (SSE clients, sign-ups a second),
    the fan-out: a steady rate of sign-ups while live pages watch and probes time the pushes."""
    settings = fresh_settings("katf_bench")
    spec = seed(settings, clients, shifts=400)
    with deployment(settings, batched, workers, 8700) as (bases, processes, env):
        if live is not None:
            webs = [p.pid for key, p in processes.running.items() if key.startswith("web-")]
            measured = {"live": fan_out(bases, {**spec, "web_pids": webs}, *live, seconds)}
        else:
            measured = (wrk_load if shutil.which("wrk") else python_load)(bases, spec, seconds)
        finished = time.monotonic()
        caught_up = wait_caught_up(settings)
        lag_after_load = time.monotonic() - finished if caught_up else None
    if live is not None:
        measured["live"].update(decided_to_push(settings, measured["live"].pop("probe_arrivals")))
    return {
        "scenario": name,
        "clients": clients,
        "web_workers": workers,
        "batched": batched,
        **measured,
        "projection_catch_up_after_load_s": round(lag_after_load, 2) if lag_after_load else None,
        "cpu_s": processes.cpu,
        "peak_memory_mb": processes.memory,
    }


def fresh_settings(database: str) -> Settings:
    settings = Settings(
        database_url=fresh_database(database),
        secret_key=SECRET,
        fast_password_hashing=True,
        embedded_projections=False,
    )
    migrate_database(settings)
    fresh_redis()
    return settings


@dataclass
class Processes:
    """The deployment's processes; their CPU seconds (the load's too) and peak memory are
    filled in when the deployment stops; ``samples`` holds their CPU seconds (PostgreSQL's
    summed) a few times a second, with the time of each, for figures by phase."""

    running: dict[str, subprocess.Popen[bytes]]
    cpu: dict[str, float] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)
    samples: list[tuple[float, dict[str, float]]] = field(default_factory=list)

    def sample(self) -> None:
        seen = {key: cpu_seconds(p.pid) for key, p in self.running.items()}
        seen["postgres"] = sum(postgres_cpu().values())
        self.samples.append((time.monotonic(), seen))

    def cpu_between(self, start: float, end: float) -> dict[str, float]:
        """CPU seconds of each process from the sample nearest ``start`` to the one nearest
        ``end`` (PostgreSQL's: its processes' sum at each; the pools keep their connections)."""

        def nearest(moment: float) -> dict[str, float]:
            return min(self.samples, key=lambda sample: abs(sample[0] - moment))[1]

        first, last = nearest(start), nearest(end)
        return {key: round(last[key] - first.get(key, 0.0), 2) for key in last}


@contextmanager
def sampling(processes: Processes, every: float = 0.25) -> Iterator[None]:
    """Samples the processes' CPU seconds in a thread while the context lasts."""
    done = threading.Event()

    def run() -> None:
        while not done.wait(every):
            with suppress(OSError):  # a process ended meanwhile
                processes.sample()

    thread = threading.Thread(target=run, daemon=True)
    processes.sample()
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        with suppress(OSError):
            processes.sample()


@contextmanager
def deployment(
    settings: Settings,
    batched: bool,
    workers: int,
    first_port: int,
    password_profile: str | None = None,
) -> Iterator[tuple[list[str], Processes, dict[str, str]]]:
    """A projection worker and ``workers`` web processes on the settings' database."""
    env = environment(settings, batched, password_profile)
    ports = [first_port + n for n in range(workers)]
    processes = Processes({"projector": start(env, "project")})
    processes.running.update({f"web-{p}": start(env, "serve", "--port", str(p)) for p in ports})
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for base in bases:
            wait_serving(base)
        before = {key: cpu_seconds(p.pid) for key, p in processes.running.items()}
        children_before, postgres_before = children_cpu(), postgres_cpu()
        yield bases, processes, env
        for key, process in processes.running.items():
            processes.cpu[key] = round(cpu_seconds(process.pid) - before[key], 2)
            processes.memory[key] = round(peak_memory_mb(process.pid), 1)
        processes.cpu["load"] = round(children_cpu() - children_before, 2)
        postgres_after = postgres_cpu()
        processes.cpu["postgres"] = round(
            sum(cpu - postgres_before.get(pid, 0.0) for pid, cpu in postgres_after.items()), 2
        )
    finally:
        for process in processes.running.values():
            process.terminate()
        for process in processes.running.values():
            process.wait(timeout=10)


def fan_out(bases: list[str], spec: dict, sse_clients: int, rate: float, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(spec, file)
    command = [sys.executable, "-m", "bench.fanout", "--spec", file.name]
    command += ["--clients", str(sse_clients), "--rate", str(rate), "--seconds", str(seconds)]
    command += [arg for base in bases for arg in ("--base", base)]
    output = subprocess.run(
        command, stdout=subprocess.PIPE, text=True, timeout=seconds + 120, check=True
    ).stdout
    return json.loads(output)


def decided_to_push(settings: Settings, arrivals: list[list[Any]]) -> dict[str, float | None]:
    """Each probe's push against the moment its sign-up was decided (the event's timestamp):
    an upper bound of commit-to-push nearer than send-to-push, as it leaves out the time the
    request waited before being decided (the batch's save, which commits, comes after)."""
    services = bootstrap(settings)
    try:
        lags = []
        for shift, volunteer, arrived in arrivals:
            for event in services.app.events.get(UUID(shift)):
                if type(event).__name__ == "SignedUp" and str(event.volunteer_id) == volunteer:
                    lags.append(arrived - event.timestamp.timestamp())
    finally:
        services.close()
    return {
        "lag_decided_p50_ms": round(percentile(lags, 0.5), 1) if lags else None,
        "lag_decided_p99_ms": round(percentile(lags, 0.99), 1) if lags else None,
    }


def python_load(bases: list[str], spec: dict, seconds: float) -> dict:
    """The load from ``bench/load.py`` (async httpx): portable, but itself CPU-hungry."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(spec, file)
    load = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            *sum((["--base", b] for b in bases), []),
            "--spec",
            file.name,
            "--seconds",
            str(seconds),
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=True,
    )
    outcome = json.loads(load.stdout)
    samples = outcome["samples"]
    accepted = [s for s in samples if s[0] in (200, 201)]
    latencies = [s[2] for s in samples]
    return {
        "load": "python",
        "elapsed_s": round(outcome["elapsed"], 2),
        "requests": len(samples),
        "accepted": len(accepted),
        "accepted_per_s": round(len(accepted) / outcome["elapsed"], 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "errors": dict(
            Counter(f"{s[0]} {s[1]}".strip() for s in samples if s[0] not in (200, 201))
        ),
    }


def wrk_load(bases: list[str], spec: dict, seconds: float) -> dict:
    """One wrk process per web worker (Debian's ``wrk``, C): the load costs little CPU."""
    files = []
    for number, base in enumerate(bases):
        lines = [signed_in_line(base, phone) for phone in spec["phones"][number :: len(bases)]]
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
            file.write("\n".join(lines) + "\nshifts " + ",".join(spec["shifts"]) + "\n")
        files.append(file.name)
    connections = max(len(spec["phones"]) // len(bases), 1)
    runs = [
        subprocess.Popen(
            [
                "wrk",
                "-t",
                "1",
                "-c",
                str(connections),
                "-d",
                f"{int(seconds)}s",
                "--latency",
                "-s",
                str(Path(__file__).parent / "signup.lua"),
                base,
                "--",
                file,
                "1",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for base, file in zip(bases, files, strict=True)
    ]
    outputs = [run.communicate(timeout=seconds + 60)[0] for run in runs]
    try:
        reports = [json.loads(output.strip().splitlines()[-1]) for output in outputs]
    except (ValueError, IndexError):
        raise RuntimeError(f"wrk said: {outputs}") from None
    requests = sum(r["requests"] for r in reports)
    refused = sum(r["non_2xx"] for r in reports)
    elapsed = max(r["duration_us"] for r in reports) / 1e6
    return {
        "load": "wrk",
        "elapsed_s": round(elapsed, 2),
        "requests": requests,
        "accepted": requests - refused,
        "accepted_per_s": round((requests - refused) / elapsed, 1),
        "p50_ms": round(max(r["p50_us"] for r in reports) / 1000, 1),
        "p95_ms": round(max(r["p95_us"] for r in reports) / 1000, 1),
        "p99_ms": round(max(r["p99_us"] for r in reports) / 1000, 1),
        "errors": {
            "non-2xx (shift full)": refused,
            "socket": sum(r["socket_errors"] for r in reports),
        },
    }


def signed_in_line(base: str, phone: str) -> str:
    with httpx.Client(base_url=base) as client:
        token = client.get("/api/v1/session").json()["csrf_token"]
        answer = client.post(
            "/api/v1/session",
            json={"phone": phone, "password": PASSWORD},
            headers={"X-CSRF-Token": token},
        ).json()
        return f"{client.cookies['katf_session']} {answer['csrf_token']} {answer['volunteer_id']}"


def wait_caught_up(settings: Settings, seconds: float = 120) -> bool:
    services = bootstrap(settings)
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if services.runner.caught_up():
                return True
            time.sleep(0.05)
        return False
    finally:
        services.close()


ADMIN_PHONE, ADMIN_PASSWORD = "01199999998", "bench-admin-password-42"


def day(scale: float, workers: int, clients: int, password_profile: str | None = None) -> dict:
    """``katf simulate-day`` against fresh PostgreSQL-backed workers, timed; then every view
    rebuilt from the day's log. ``password_profile``: the web processes hash and check the
    volunteers' passwords with one of production's profiles (``coordination/passwords.py``),
    not as the tests."""
    settings = fresh_settings("katf_bench_day")
    services = bootstrap(settings)
    try:
        services.dispatcher.run(
            CreateUser(ADMIN_PHONE, "Bench Admin", ADMIN_PASSWORD, [Grant(Role.NATIONAL_ADMIN)]),
            SYSTEM,
        )
    finally:
        services.close()
    with deployment(settings, True, workers, 8720, password_profile) as (bases, processes, env):
        command = [sys.executable, "-m", "web.cli", "simulate-day", "--phone", ADMIN_PHONE]
        command += ["--scale", str(scale), "--clients", str(clients), "--views"]
        command += [arg for base in bases for arg in ("--base", base)]
        with sampling(processes):
            load = subprocess.Popen(
                command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            outcome = json.loads(load.communicate(ADMIN_PASSWORD + "\n")[0])
    outcome["cpu_s"], outcome["peak_memory_mb"] = processes.cpu, processes.memory
    for phase in outcome["phases"]:  # the load's clock is the machine's, as this process's
        started = phase["started_monotonic"]
        phase["cpu_s"] = processes.cpu_between(started, started + phase["seconds"])
    return {
        "scenario": f"the launch day at scale {scale}"
        + (f", passwords hashed with {password_profile}" if password_profile else ""),
        "scale": scale,
        "password_hashing": hashing_parameters(password_profile),
        "web_workers": workers,
        "clients": clients,
        **outcome,
        "rebuild": rebuild_rate(settings.database_url),
    }


def hashing_parameters(profile: str | None) -> str:
    parameters = password_hasher(not profile, profile or DEFAULT_PROFILE)
    kib = parameters.memory_cost
    memory = f"{kib // 1024} MiB" if kib >= 1024 else f"{kib} KiB"
    return f"Argon2id t={parameters.time_cost}, m={memory}, p={parameters.parallelism}"


def children_cpu() -> float:
    """CPU seconds of the child processes that have ended and been waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rebuild_rate(settings_url: str) -> dict:
    settings = Settings(database_url=settings_url, secret_key=SECRET, embedded_projections=False)
    services = bootstrap(settings)
    try:
        events = services.runner.head()
        started = time.monotonic()
        rebuild_every_view(services)
        elapsed = time.monotonic() - started
    finally:
        services.close()
    return {
        "scenario": "rebuild every view",
        "events_in_log": events,
        "views": len(services.runner.projections),
        "elapsed_s": round(elapsed, 2),
        "log_events_per_s": round(events / elapsed),
        "events_per_s_per_view": round(events * len(services.runner.projections) / elapsed),
    }


def page_sizes(settings_url: str) -> dict:
    """Bytes a phone downloads, gzip-compressed: the page plus its stylesheet and htmx."""
    env = environment(Settings(database_url=settings_url, secret_key=SECRET), batched=True)
    server = start(env, "serve", "--port", "8790")
    base = "http://127.0.0.1:8790"
    try:
        wait_serving(base)

        def transferred(path: str) -> int:
            with httpx.stream("GET", base + path, headers={"Accept-Encoding": "gzip"}) as reply:
                reply.read()
                return reply.num_bytes_downloaded

        assets = sum(transferred(a) for a in ("/static/katf.css", "/static/vendor/htmx.min.js"))
        sizes = {page: transferred(page) + assets for page in ("/register", "/shifts", "/sign-in")}
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {"scenario": "volunteer page weight (gzip, with css and htmx)", "bytes": sizes}


def markdown(results: list[dict]) -> str:
    rushes = [r for r in results if "accepted_per_s" in r]
    naive = next((r for r in rushes if not r["batched"]), None)
    lines = []
    if rushes:
        lines += [
            "| scenario | accepted/s | ratio to naive | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|---|",
        ]
    for r in rushes:
        ratio = r["accepted_per_s"] / naive["accepted_per_s"] if naive else 0
        lines.append(
            f"| {r['scenario']} | {r['accepted_per_s']} | {ratio:.2f}× | {r['p50_ms']} |"
            f" {r['p95_ms']} | {r['p99_ms']} | {r['errors']} |"
        )
    for r in results:
        if "live" in r:
            live, load = r["live"], r["live"]["load"]
            lines.append(
                f"\nLive fan-out: {live['sse_clients']} SSE clients on the stadium board,"
                f" {live['pushes_received']} pushes received, {live['stream_errors']} stream"
                f" errors, while sign-ups were sent at {live['target_rate']:g}/s"
                f" ({load['requests_per_s']} answered/s, {live['accepted_per_s']} accepted/s,"
                f" p99 {load['p99_ms']} ms, {load['statuses']}). Commit-to-push lag from"
                f" {live['lag_samples']} probes ({live['lag_lost']} lost): between"
                f" {live['lag_lower_p50_ms']} and {live['lag_upper_p50_ms']} ms at p50, between"
                f" {live['lag_lower_p99_ms']} and {live['lag_upper_p99_ms']} ms at p99 (answer to"
                " push, send to push); from the sign-up's decision (its event's time, before the"
                f" commit) to the push: {live.get('lag_decided_p50_ms')} ms at p50,"
                f" {live.get('lag_decided_p99_ms')} ms at p99. The web processes' memory grew by"
                f" {live.get('memory_per_idle_stream_kb')} KB for each stream connected (idle,"
                " before the sign-ups)."
            )
    for r in (r for r in results if "cpu_s" in r and "phases" not in r):
        lines.append(
            f"\n{r['scenario']}: CPU seconds {r['cpu_s']}, peak memory MB {r['peak_memory_mb']},"
            f" views caught up {r['projection_catch_up_after_load_s']} s after the load."
        )
    for r in results:
        if "phases" in r:
            lines += day_markdown(r)
        if "events_per_s_per_view" in r:
            lines.append(rebuild_line(r))
        if "bytes" in r:
            lines.append(f"\nPage weight (gzip, with css and htmx): {r['bytes']}")
    return "\n".join(lines) + "\n"


def rebuild_line(r: dict) -> str:
    return (
        f"\nRebuild of {r['views']} views from {r['events_in_log']} events: {r['elapsed_s']} s,"
        f" {r['log_events_per_s']} log events/s ({r['events_per_s_per_view']} events/s summed"
        " over the views)."
    )


def day_markdown(r: dict) -> list[str]:
    plan, scale = r["plan"], r["scale"]
    lines = [
        f"\n### The launch day at scale {scale}: {plan}\n",
        "| phase | requests | seconds | requests/s | p50 ms | p95 ms | p99 ms | answers |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in r["phases"]:
        lines.append(
            f"| {p['phase']} | {p['requests']} | {p['seconds']} | {p['requests_per_s']} |"
            f" {p['p50_ms']} | {p['p95_ms']} | {p['p99_ms']} | {p['statuses']} |"
        )
    lines += ["\nCPU seconds by phase:\n"]
    lines += [f"- {p['phase']}: {p['cpu_s']}" for p in r["phases"] if "cpu_s" in p]
    lines.append(
        f"\nPreparation {r['preparation_s']} s; the day {r['day_s']} s; every view caught up"
        f" {r['views_caught_up_s']} s after the day's last request. At this pace the record's"
        f" day (scale 1) would take about {r['day_s'] / scale / 60:.1f} minutes and its"
        f" preparation {r['preparation_s'] / scale / 60:.1f} (a linear estimate)."
    )
    lines.append(f"CPU seconds: {r['cpu_s']}; peak memory MB: {r['peak_memory_mb']}.")
    if "password_hashing" in r:
        lines.append(f"Passwords hashed with {r['password_hashing']}.")
    lines.append(rebuild_line(r["rebuild"]))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sse-clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=500, help="sign-ups a second, live")
    parser.add_argument(
        "--day-scale", type=float, default=0.05, help="the launch day's scale (0: skip it)"
    )
    parser.add_argument(
        "--password-profile",
        choices=PROFILES,
        help="the day's web processes hash passwords with this production profile (slow:"
        " Argon2id; default: the tests' cheapest parameters)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=SCENARIOS,
        help="run this scenario (repeatable; default: every one). rebuild and pages use the"
        " database the last rush or live run left",
    )
    args = parser.parse_args()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    chosen = args.only or [s for s in SCENARIOS if s != "day" or args.day_scale]
    if chosen == ["day"]:
        stamp = f"day-{stamp}"
    scenarios = {
        "rush": [
            lambda: rush(
                "sign-up rush, naive (one save per command)",
                False,
                args.clients,
                args.seconds,
                args.workers,
            ),
            lambda: rush("sign-up rush, batched", True, args.clients, args.seconds, args.workers),
        ],
        "live": [
            lambda: rush(
                f"live fan-out: {args.sse_clients} SSE clients, {args.rate:g} sign-ups/s",
                True,
                args.clients,
                args.seconds,
                args.workers,
                live=(args.sse_clients, args.rate),
            )
        ],
        "rebuild": [lambda: rebuild_rate(f"{SERVER}/katf_bench")],
        "pages": [lambda: page_sizes(f"{SERVER}/katf_bench")],
        "day": [
            lambda: day(args.day_scale or 0.05, args.workers, args.clients, args.password_profile)
        ],
    }
    results: list[dict] = []
    for name in SCENARIOS:
        for scenario in scenarios[name] if name in chosen else ():
            results.append(scenario())
            write(results, stamp)  # what has run is kept if a later scenario fails
    print(markdown(results))


def write(results: list[dict], stamp: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{stamp}.json").write_text(json.dumps(results, indent=2))
    (RESULTS / f"{stamp}.md").write_text(markdown(results))


if __name__ == "__main__":
    main()
