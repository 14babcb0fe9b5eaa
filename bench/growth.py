"""Costs that stay flat as the campaign grows: the shared registry loaded through the real
import path, and a point's hand-off, a household lookup and a volunteer's sign-up timed when it
holds ``--first`` households and again when it holds ``--households``.

    python -m bench.growth [--households 5000000] [--volunteers 250000] [--first 100000]
                           [--samples 400] [--points 20] [--rounds 2]

The households come as the points' lists do (``start_import``, then the job worker that runs
imports in production, 200 rows a command), ``--points`` points in turn, 50,000 rows a list;
the volunteers as the associations' lists, in step (``--volunteers`` in all, the same share at
each size). The views follow each list (``catch_up``), as the projection worker would.

A copy of the database is kept at the first size; once the registry is whole, the two sizes
are timed in turn, ``--rounds`` times each (the machine's speed may drift during the load).
Each time the processes' caches start empty (the services are started afresh: nothing on the
batcher's shelf, no session), then ``--samples`` of each, one at a time, each on someone not
asked before:
- a hand-off: a household chosen at random among those loaded, given one box at a point;
- a lookup: a household by its national ID (``household_id_for``) and its record read from the
  store, as a hand-off reads it;
- a sign-up: a volunteer chosen at random among those loaded, onto a shift of the size's own.

Reports the latencies (p50, p95, p99) at both sizes and their ratio (the issue's goal: within
20%), the pages each request read from outside the server's shared buffers, the load's rate,
the database's size per million households and the views' catch-up.
Writes ``bench/results/growth-<time>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import psycopg
from psycopg.sql import SQL, Identifier
from rich.progress import Progress

from bench.run import RESULTS, fresh_settings, percentile
from bench.seeding import open_stadium, schedule_shifts, tomorrow_on_the_hour
from coordination.areas.distribution.commands import HandOff, OpenRound, TakeIn
from coordination.areas.distribution.lookups import household_id_for
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import FoundAssociation, OpenSite
from coordination.household import Household
from coordination.permissions import SYSTEM
from coordination.volunteer import Volunteer
from web.bootstrap import Services, bootstrap
from web.jobs import job_kinds
from web.platform.imports import start_import
from web.platform.settings import Settings
from workers.jobs import work_until_idle

LIST = 50_000  # rows of one point's (or association's) list
PER_DAY = 9_000  # national IDs of one birth date (four digits of sequence)
FIRST_BIRTH = date(1950, 1, 1)
OPERATIONS = ("hand_off", "lookup", "sign_up")
STATISTICS_DELAY = 1.2  # seconds: how long the server may keep a process's counts to itself


def national_id(n: int, kind: str) -> str:
    """The ``n``-th national ID of a kind (households born from 1950 on in Cairo, volunteers
    from 1980 on in Giza): distinct, and well formed."""
    born = FIRST_BIRTH + timedelta(days=n // PER_DAY + (0 if kind == "household" else 11_000))
    governorate = "01" if kind == "household" else "21"
    return f"2{born:%y%m%d}{governorate}{n % PER_DAY + 1:04d}1"


def household_rows(start: int, count: int) -> list[dict[str, str]]:
    """A point's list as its upload reads: the households ``start`` to ``start + count``."""
    return [
        {"national_id": national_id(n, "household"), "size": "4"}
        for n in range(start, start + count)
    ]


def volunteer_rows(start: int, count: int) -> list[dict[str, str]]:
    return [
        {
            "full_name": f"Volunteer {n}",
            "phone": f"010{n:08d}",
            "national_id": national_id(n, "volunteer"),
        }
        for n in range(start, start + count)
    ]


@dataclass
class Registry:
    """What has been loaded so far, and who has been asked already."""

    points: list[UUID]
    associations: list[UUID]
    round_id: UUID
    counter: UUID  # the point whose stock the timed hand-offs draw on
    stadium: UUID
    households: int = 0
    volunteers: int = 0
    asked: set[tuple[str, int]] = field(default_factory=set)
    loading: dict[str, float] = field(default_factory=lambda: {"imports": 0.0, "views": 0.0})

    def someone(self, kind: str, loaded: int, rng: random.Random) -> int:
        while True:
            n = rng.randrange(loaded)
            if (kind, n) not in self.asked:
                self.asked.add((kind, n))
                return n


def set_up(services: Services, points: int, associations: int) -> Registry:
    run = services.dispatcher.run
    opened = [
        run(OpenSite(f"point-{n}", "distribution_point", "01", f"نقطة {n}", f"Point {n}"), SYSTEM)
        for n in range(points)
    ]
    founded = [
        run(FoundAssociation(f"association-{n}", f"جمعية {n}", f"Association {n}", "21"), SYSTEM)
        for n in range(associations)
    ]
    round_id = run(OpenRound("growth", "الجولة", "The round", 40_000_000), SYSTEM)
    return Registry(opened, founded, round_id, opened[0], open_stadium(services, "growth"))


def load(services: Services, registry: Registry, households: int, volunteers: int) -> None:
    """Lists imported until the registry holds ``households`` and ``volunteers``, a list of
    each in turn so that the two grow together."""
    jobs = job_kinds(services.db, services.dispatcher)
    with Progress() as progress:
        bar = progress.add_task("households", total=households, completed=registry.households)
        while registry.households < households or registry.volunteers < volunteers:
            if registry.households < households:
                rows = min(LIST, households - registry.households)
                point = registry.points[(registry.households // LIST) % len(registry.points)]
                listed = household_rows(registry.households, rows)
                _imported(services, registry, jobs, "households", point, listed)
                registry.households += rows
                progress.update(bar, completed=registry.households)
            share = volunteers * registry.households // max(households, 1)
            if registry.volunteers < share:
                rows = min(LIST, share - registry.volunteers)
                association = registry.associations[
                    (registry.volunteers // LIST) % len(registry.associations)
                ]
                listed = volunteer_rows(registry.volunteers, rows)
                _imported(services, registry, jobs, "volunteers", association, listed)
                registry.volunteers += rows


def _imported(
    services: Services,
    registry: Registry,
    jobs: Any,
    kind: str,
    target: UUID,
    rows: list[dict[str, str]],
) -> None:
    started = time.perf_counter()
    job_id = start_import(services.db, kind, SYSTEM, str(target), rows, "en")
    work_until_idle(services.db, jobs)
    finished = services.db.query(
        "SELECT created, rejected FROM import_jobs WHERE job_id = %s", (job_id,)
    )
    if not finished or finished[0]["created"] != len(rows):
        raise RuntimeError(f"the {kind} list was not imported whole: {finished}")
    imported = time.perf_counter()
    services.runner.catch_up()
    registry.loading["imports"] += imported - started
    registry.loading["views"] += time.perf_counter() - imported


def measure(size: Size, registry: Registry, samples: int, seed: int) -> dict[str, Timings]:
    """Each operation ``samples`` times, one at a time, on services started afresh, on
    households and volunteers the database of ``size`` holds."""
    services = bootstrap(size.settings)
    rng = random.Random(seed)
    try:
        run, store = services.dispatcher.run, services.app
        run(TakeIn(registry.counter, "food_box", samples, f"stock-{seed}"), SYSTEM)
        starts = tomorrow_on_the_hour() + timedelta(days=len(registry.asked) // samples + 1)
        [shift] = schedule_shifts(services, registry.stadium, starts, [samples])

        def hand_off() -> None:
            n = registry.someone("household", size.households, rng)
            household_id = household_id_for(store, national_id(n, "household"))
            command = HandOff(
                registry.counter, registry.round_id, household_id, "food_box", 1, f"h-{n}"
            )
            if not run(command, SYSTEM).recorded:
                raise RuntimeError(f"household {n}: the hand-off was not recorded")

        def lookup() -> None:
            n = registry.someone("looked-up", size.households, rng)
            household_id = household_id_for(store, national_id(n, "household"))
            if store.find(household_id, Household) is None:
                raise RuntimeError(f"household {n} was not found")

        def sign_up() -> None:
            n = registry.someone("volunteer", size.volunteers, rng)
            volunteer_id = Volunteer.create_id(
                store.fingerprints.of("national_id", national_id(n, "volunteer"))
            )
            run(SignUp(UUID(shift), volunteer_id, f"s-{n}"), SYSTEM)

        timed = {"hand_off": hand_off, "lookup": lookup, "sign_up": sign_up}
        return {
            name: _timed(action, samples, size.settings.database_url)
            for name, action in timed.items()
        }
    finally:
        services.close()


@dataclass
class Timings:
    """One operation's latencies (seconds), and the database's pages the server read for
    them from outside its shared buffers (from the OS's cache or the disk) and found in them."""

    took: list[float] = field(default_factory=list)
    read: int = 0
    hit: int = 0

    def add(self, other: Timings) -> None:
        self.took += other.took
        self.read, self.hit = self.read + other.read, self.hit + other.hit

    def summary(self) -> dict[str, float]:
        count = max(len(self.took), 1)
        return {
            "p50_ms": round(percentile(self.took, 0.50), 2),
            "p95_ms": round(percentile(self.took, 0.95), 2),
            "p99_ms": round(percentile(self.took, 0.99), 2),
            "pages_read": round(self.read / count, 1),
            "pages_in_buffers": round(self.hit / count, 1),
        }


def _timed(action: Callable[[], None], samples: int, url: str) -> Timings:
    before = _blocks(url)
    took = []
    for _ in range(samples):
        started = time.perf_counter()
        action()
        took.append(time.perf_counter() - started)
    read, hit = (after - earlier for after, earlier in zip(_blocks(url), before, strict=True))
    return Timings(took, read, hit)


def _blocks(url: str) -> tuple[int, int]:
    """The database's pages read so far, and found in the shared buffers: each server process
    reports its counts at most once a second, so a second is let pass first."""
    time.sleep(STATISTICS_DELAY)
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT blks_read, blks_hit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return (row[0], row[1]) if row else (0, 0)


def server_settings(url: str) -> dict[str, str]:
    """What the growth's latencies depend on beside the code: the server's memory for pages,
    and whether statistics are gathered as tables grow."""
    with psycopg.connect(url) as connection:
        return {
            name: str(connection.execute(SQL("SHOW {}").format(Identifier(name))).fetchone()[0])
            for name in ("shared_buffers", "autovacuum", "server_version")
        }


@dataclass(frozen=True)
class Size:
    """A database of the registry at one size: the households and volunteers it holds."""

    settings: Settings
    households: int
    volunteers: int


def kept_as_it_is(settings: Settings, registry: Registry) -> Size:
    """A copy of the database as it is now (its services closed), to time again later."""
    database = urlsplit(settings.database_url).path.lstrip("/")
    copy = f"{database}_at_{registry.households}"
    with _server(settings.database_url) as admin:
        admin.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(copy)))
        admin.execute(
            SQL("CREATE DATABASE {} TEMPLATE {}").format(Identifier(copy), Identifier(database))
        )
    copied = urlsplit(settings.database_url)._replace(path=f"/{copy}").geturl()
    return Size(replace(settings, database_url=copied), registry.households, registry.volunteers)


def dropped(size: Size) -> None:
    database = urlsplit(size.settings.database_url).path.lstrip("/")
    with _server(size.settings.database_url) as admin:
        admin.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(database)))


def _server(url: str) -> psycopg.Connection[Any]:
    """A connection to the server of ``url``, outside its database."""
    return psycopg.connect(urlsplit(url)._replace(path="/postgres").geturl(), autocommit=True)


def alternated(
    sizes_: list[Size], registry: Registry, samples: int, rounds: int
) -> list[dict[str, Timings]]:
    """Each size timed ``rounds`` times, the sizes in turn (a drift of the machine's speed then
    falls on both alike): each operation's timings of every round together, by size."""
    pooled: list[dict[str, Timings]] = [{name: Timings() for name in OPERATIONS} for _ in sizes_]
    for turn in range(rounds):
        for index, size in enumerate(sizes_):
            for name, timings in measure(size, registry, samples, 1 + turn * 10 + index).items():
                pooled[index][name].add(timings)
    return pooled


def sizes(url: str, table: str) -> dict[str, float]:
    with psycopg.connect(url) as connection:
        database, events, rows = connection.execute(
            SQL(
                "SELECT pg_database_size(current_database()), pg_total_relation_size({name}),"
                " (SELECT count(*) FROM {table})"
            ).format(name=table, table=Identifier(table))
        ).fetchone() or (0, 0, 0)
    return {"database_mb": database / 1e6, "events_mb": events / 1e6, "events": rows}


def grow(settings: Settings, options: argparse.Namespace) -> dict[str, Any]:
    """The registry loaded into the (migrated, empty) database of ``settings`` and timed: a
    copy is kept at the first size, and the two sizes are timed in turn once the registry is
    whole."""
    services = bootstrap(settings)
    services.runner.ensure_tracking()
    associations = max(1, options.volunteers // LIST)
    table: str = services.app.recorder.events_table_name  # type: ignore[attr-defined]
    try:
        registry = set_up(services, options.points, associations)
        first_volunteers = options.volunteers * options.first // options.households
        load(services, registry, options.first, first_volunteers)
    finally:
        services.close()
    first = kept_as_it_is(settings, registry)
    try:
        services = bootstrap(settings)
        try:
            load(services, registry, options.households, options.volunteers)
        finally:
            services.close()
        last = Size(settings, registry.households, registry.volunteers)
        timings = alternated([first, last], registry, options.samples, options.rounds)
        at: list[dict[str, Any]] = [
            {
                "households": size.households,
                "volunteers": size.volunteers,
                "latency": {name: t.summary() for name, t in timed.items()},
            }
            | sizes(size.settings.database_url, table)
            for size, timed in zip([first, last], timings, strict=True)
        ]
    finally:
        dropped(first)
    loaded = registry.households + registry.volunteers
    grown = max(at[1]["households"] - at[0]["households"], 1)
    return {
        "scenario": "growth",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "samples": options.samples,
        "rounds": options.rounds,
        "server": server_settings(settings.database_url),
        "sizes": at,
        "ratios": {
            name: {
                q: round(at[1]["latency"][name][q] / max(at[0]["latency"][name][q], 1e-3), 2)
                for q in ("p50_ms", "p95_ms", "p99_ms")
            }
            for name in OPERATIONS
        },
        "load": {
            "imports_s": round(registry.loading["imports"], 1),
            "views_s": round(registry.loading["views"], 1),
            "rows_per_s": round(loaded / max(registry.loading["imports"], 1e-3)),
            "with_views_rows_per_s": round(loaded / max(sum(registry.loading.values()), 1e-3)),
        },
        "mb_per_million_households": round(
            (at[1]["database_mb"] - at[0]["database_mb"]) * 1_000_000 / grown, 1
        ),
    }


def markdown(result: dict[str, Any]) -> str:
    first, last = result["sizes"]
    lines = [
        f"# Growth, {result['at']}",
        "",
        f"{first['households']:,} → {last['households']:,} households, {first['volunteers']:,}"
        f" → {last['volunteers']:,} volunteers; {result['samples']} of each operation at each"
        f" size, one at a time, on services started afresh, {result['rounds']} times, the two"
        " sizes in turn (a copy of the database kept at the first). PostgreSQL"
        f" {result['server']['server_version']}, shared_buffers"
        f" {result['server']['shared_buffers']}, autovacuum {result['server']['autovacuum']}.",
        "",
        "| operation | p50 | p95 | p99 | pages | p50 | p95 | p99 | pages | ratio p50 / p95 / p99 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in OPERATIONS:
        a, b, r = first["latency"][name], last["latency"][name], result["ratios"][name]
        lines.append(
            f"| {name} | {a['p50_ms']} | {a['p95_ms']} | {a['p99_ms']} | {_pages(a)}"
            f" | {b['p50_ms']} | {b['p95_ms']} | {b['p99_ms']} | {_pages(b)}"
            f" | {r['p50_ms']} / {r['p95_ms']} / {r['p99_ms']} |"
        )
    load = result["load"]
    lines += [
        "",
        "Latencies in ms, at the first size, then at the last; pages: of the database's, read"
        " by the server for each request from outside its shared buffers / found in them.",
        "",
        f"- Load: {load['rows_per_s']:,} rows/s through the imports ({load['imports_s']} s),"
        f" {load['with_views_rows_per_s']:,} rows/s with the views caught up after each list"
        f" ({load['views_s']} s of it).",
        f"- Database: {first['database_mb']:,.0f} MB → {last['database_mb']:,.0f} MB"
        f" ({result['mb_per_million_households']:,} MB per million households, their volunteers"
        f" included); the log {first['events']:,} → {last['events']:,} events"
        f" ({last['events_mb']:,.0f} MB with its indexes).",
    ]
    return "\n".join(lines) + "\n"


def _pages(latency: dict[str, float]) -> str:
    return f"{latency.get('pages_read', '-')} / {latency.get('pages_in_buffers', '-')}"


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=5_000_000)
    parser.add_argument("--volunteers", type=int, default=250_000)
    parser.add_argument("--first", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--points", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="turns of timing each size")
    return parser.parse_args(argv)


def main() -> None:
    result = grow(fresh_settings("katf_bench_growth"), arguments())
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"growth-{stamp}.json").write_text(json.dumps(result, indent=2))
    (RESULTS / f"growth-{stamp}.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
