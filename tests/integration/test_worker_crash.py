"""A projection worker killed with SIGKILL mid-stream resumes without losing or repeating events."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sign_ups.commands import SignUp
from coordination.permissions import SYSTEM
from tests.conftest import started
from tests.helpers import PASSWORD, mobile, national_id
from tests.integration.scenarios import make_shift
from tests.processes import katf, stop, wait_for
from web.bootstrap import Services
from web.platform.settings import Settings

pytestmark = pytest.mark.postgres

VIEW_QUERIES = {
    "volunteer_directory": "SELECT volunteer_id, association_id, governorate, national_id_last4"
    " FROM volunteer_directory ORDER BY volunteer_id",
    "board_sites": "SELECT * FROM board_sites ORDER BY site_id",
    "shift_board": "SELECT * FROM shift_board ORDER BY shift_id",
    "my_shifts": "SELECT * FROM my_shifts ORDER BY volunteer_id, shift_id",
}


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


def dump_views(services: Services) -> dict[str, list[dict]]:
    """Every view's rows; sealed names and phones differ per write, so they are left out."""
    return {table: services.db.query(query) for table, query in VIEW_QUERIES.items()}


def write_events(services: Services, total: int) -> None:
    """Registrations (2 events each) and sign-ups (2 events each) until ``total`` events."""
    shifts = [make_shift(services, capacity=10_000, hour=h, hours=1) for h in range(6, 12)]
    written = services.app.recorder.max_notification_id() or 0
    i = 0
    while written < total:
        volunteer = services.dispatcher.run(
            RegisterVolunteer(f"V {i}", mobile(), national_id(), "01", PASSWORD)
        )
        services.dispatcher.run(SignUp(shifts[i % len(shifts)], volunteer, f"k{i}"), SYSTEM)
        written += 4
        i += 1


def test_killed_worker_restarts_to_views_equal_a_fresh_rebuild(
    pg_settings: Settings, services: Services
) -> None:
    writer = threading.Thread(target=write_events, args=(services, 5_000))
    worker = katf(pg_settings, "project")
    writer.start()
    try:
        tracking = services.runner.projections[0]
        wait_for(lambda: services.runner.position(tracking) > 500, seconds=60)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        killed_at = services.runner.position(tracking)
        writer.join()
        assert killed_at < services.runner.head()
        worker = katf(pg_settings, "project")
        wait_for(services.runner.caught_up, seconds=60)
    finally:
        writer.join()
        stop(worker)
    incremental = dump_views(services)
    for projection in services.runner.projections:
        services.runner.rebuild(projection)
    assert dump_views(services) == incremental
    assert sum(row["taken"] for row in incremental["shift_board"]) == len(incremental["my_shifts"])
    assert services.runner.head() >= 5_000
