"""On the embedded default (SQLite), a job whose worker died mid-way is taken over once its
lease runs out, and finishes with exact counts: the chunk the dead worker decided but never
recorded is decided again, its keyed rows answering as they did the first time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from coordination.permissions import SYSTEM
from tests.conftest import started
from tests.integration.jobs_scenarios import EXPECTED, UNIQUE, counts, place, registered, the_list
from tests.processes import wait_for
from web.bootstrap import Services
from web.platform.imports import ImportJob, find_import, start_import
from web.platform.settings import Settings
from workers.jobs import MAX_ATTEMPTS, work_once

LEASE = 2.0
CHUNK = 10


class Crash(BaseException):
    """The worker's process dies here: nothing after it runs, no handler sees it."""


@pytest.fixture
def services(sqlite_settings: Settings) -> Iterator[Services]:
    yield from started(sqlite_settings)


def dying_after_deciding(services: Services, kind: str, chunks: int) -> ImportJob:
    """The kind's own import, whose worker dies once it has decided ``chunks`` chunks (its
    events in the log) and before that chunk is recorded."""
    real: Any = services.jobs[kind]
    decided = 0

    def decide(actor: Any, target: str, rows: list[dict[str, str]], keys: list[str]) -> Any:
        nonlocal decided
        outcomes = real.importer(actor, target, rows, keys)
        decided += 1
        if decided >= chunks:
            raise Crash()
        return outcomes

    return ImportJob(services.db, decide)


@pytest.mark.parametrize("kind", ["households", "volunteers"])
def test_an_expired_lease_is_taken_over_and_nothing_is_counted_twice(
    services: Services, kind: str
) -> None:
    db, rows = services.db, the_list(kind)
    job = start_import(db, kind, SYSTEM, place(services, kind), rows, "en", chunk=CHUNK)
    dying = {kind: dying_after_deciding(services, kind, chunks=2)}
    with pytest.raises(Crash):
        work_once(db, dying, "worker-a", seconds=LEASE)
    assert find_import(db, job)["done"] == CHUNK, "the first chunk was recorded"
    assert registered(services, kind) > UNIQUE // 2, "the second was decided, not recorded"
    assert not work_once(db, services.jobs, "worker-b", seconds=LEASE), "a live lease is kept"

    wait_for(lambda: work_once(db, services.jobs, "worker-b", seconds=LEASE), seconds=30)

    after = find_import(db, job)
    assert (after["state"], after["attempts"], after["done"]) == ("finished", 2, len(rows))
    assert counts(after) == EXPECTED
    assert [r["row"] for r in after["report"]] == [len(rows) + 1]  # the last row, once
    assert registered(services, kind) == UNIQUE
    assert db.query("SELECT * FROM job_chunks") == []
    assert db.query("SELECT worker_id FROM jobs") == [{"worker_id": "worker-b"}]


def test_a_job_that_kills_every_worker_stops_failed_and_frees_its_place(
    services: Services,
) -> None:
    db, target = services.db, place(services, "households")
    job = start_import(db, "households", SYSTEM, target, the_list("households"), "en", CHUNK)
    dying = {"households": dying_after_deciding(services, "households", chunks=1)}
    for attempt in range(MAX_ATTEMPTS):
        with pytest.raises(Crash):
            work_once(db, dying, f"worker-{attempt}", seconds=0.0)
    assert work_once(db, services.jobs, "last-worker", seconds=LEASE)
    after = find_import(db, job)
    assert (after["state"], after["done"], after["finished_at"] is not None) == ("failed", 0, True)
    assert db.query("SELECT * FROM job_chunks") == [], "the list's rows are not kept"
    start_import(db, "households", SYSTEM, target, [], "en")  # the place may import again


def test_a_process_runs_one_job_worker_however_often_it_is_started(services: Services) -> None:
    """``katf serve`` starts one, and on the embedded default its projections start one too."""
    services.start_jobs()
    services.start_projections()
    try:
        workers = [t for t in threading.enumerate() if t.name == "jobs" and t.is_alive()]
        assert len(workers) == 1
    finally:
        services.stop_projections()
