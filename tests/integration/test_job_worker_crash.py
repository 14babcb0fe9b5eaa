"""An import whose worker process is killed with SIGKILL half-way finishes in another worker
process, on PostgreSQL, with exact counts: every row imported once, nobody registered twice."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from coordination.permissions import SYSTEM
from tests.conftest import started
from tests.integration.jobs_scenarios import counts, place, registered, the_list
from tests.processes import katf, stop, wait_for
from web.bootstrap import Services
from web.platform.imports import CHUNK, find_import, start_import
from web.platform.settings import Settings

pytestmark = pytest.mark.postgres
UNIQUE = 2 * CHUNK  # three chunks with the repeated and refused rows
# the killed worker stops after deciding each chunk, so it dies with one decided, not recorded
SLOW = {"KATF_JOB_PAUSE_SECONDS": "1.5", "KATF_JOB_LEASE_SECONDS": "3"}


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


def test_an_import_killed_half_way_finishes_in_another_worker(
    pg_settings: Settings, services: Services
) -> None:
    rows = the_list("households", UNIQUE)
    job = start_import(services.db, "households", SYSTEM, place(services, "households"), rows, "en")
    first = katf(pg_settings, "jobs", **SLOW)
    try:
        # the first chunk recorded and the second decided (its households in the log), not recorded
        wait_for(lambda: mid_chunk(services, job, 1), seconds=60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        assert find_import(services.db, job)["done"] == CHUNK
        assert services.db.query("SELECT state, attempts FROM jobs") == [
            {"state": "running", "attempts": 1}
        ]
    finally:
        stop(first)
    second = katf(pg_settings, "jobs", KATF_JOB_LEASE_SECONDS="3")
    try:
        wait_for(lambda: find_import(services.db, job)["finished_at"] is not None, seconds=60)
    finally:
        stop(second)

    after = find_import(services.db, job)
    assert (after["state"], after["attempts"], after["done"]) == ("finished", 2, len(rows))
    assert counts(after) == {"created": UNIQUE, "existing": 2, "linked": 0, "rejected": 1}
    assert registered(services, "households") == UNIQUE
    assert services.db.query("SELECT * FROM job_chunks") == []


def mid_chunk(services: Services, job: str, recorded: int) -> bool:
    """``recorded`` chunks recorded and the next one's households already in the log."""
    done = find_import(services.db, job)["done"]
    return done == recorded * CHUNK and registered(services, "households") > done
