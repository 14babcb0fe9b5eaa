"""A delivery worker SIGKILLed mid-way, restarted, and the outbox rebuilt under it: every
message reaches the local SMS gateway exactly once, whether the worker sends one message at a
time or sixteen side by side, and a gateway refusing 30% of requests delays messages, never
repeats or loses one. The messages in flight when the worker died (``RECORDED_TOGETHER`` one
at a time, the whole batch claimed side by side) are offered again under their references,
which the gateway drops as repeats."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.calendar import utc_text
from coordination.permissions import SYSTEM, Actor
from projections.database import Database
from tests.conftest import started
from tests.gateways import sms_gateway
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import katf, stop, wait_for
from web.bootstrap import Services
from web.platform.settings import Settings
from workers.delivery import (
    BATCH,
    CLAIMED_PER_SENDER,
    MAX_ATTEMPTS,
    RECORDED_TOGETHER,
    statuses,
)

pytestmark = pytest.mark.postgres
MESSAGES = 240
KILLS = 3
FAILURE_RATE = 0.3


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


def signed_up_volunteers(services: Services, count: int) -> None:
    """A shift three days ahead (no reminder due yet), and ``count`` volunteers on it."""
    site = services.dispatcher.run(OpenSite("hall", "packing", "01", "القاعة", "Hall"), SYSTEM)
    start = (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    shift = services.dispatcher.run(
        ScheduleShift(site, "packer", start, start + timedelta(hours=4), count), SYSTEM
    )
    for i in range(count):
        person = services.dispatcher.run(
            RegisterVolunteer(f"Volunteer {i}", mobile(), national_id(), "01", PASSWORD)
        )
        services.dispatcher.run(SignUp(shift, person), Actor(volunteer_id=person))


def in_flight(concurrency: int) -> int:
    """The messages a worker sends before recording them: what a kill can have offered again."""
    return RECORDED_TOGETHER if concurrency == 1 else max(BATCH, concurrency * CLAIMED_PER_SENDER)


def alive(worker: subprocess.Popen[bytes]) -> bool:
    """False while it runs; a worker that could not start fails the test with its error."""
    if worker.poll() is not None:
        raise AssertionError(worker.stderr.read().decode()[-2000:])  # type: ignore[union-attr]
    return False


def retried_now(db: Database) -> None:
    """Time passes: the refused messages, waiting 30 s and more to be tried again, are due now.
    Only those due well ahead: a message claimed was due already, and is the worker's alone."""
    now = datetime.now(UTC)
    with db.transaction() as cursor:
        cursor.execute(
            "UPDATE outbox_messages SET due_at = %s WHERE status = 'pending' AND due_at > %s",
            (utc_text(now), utc_text(now + timedelta(seconds=10))),
        )


def wait_until(
    condition: Callable[[], bool], db: Database, worker: subprocess.Popen[bytes]
) -> None:
    def met() -> bool:
        retried_now(db)
        return condition() or alive(worker)

    wait_for(met, seconds=120)


@pytest.mark.parametrize("concurrency", [1, 16], ids=["one-at-a-time", "sixteen-side-by-side"])
def test_a_killed_worker_and_a_rebuild_deliver_each_message_exactly_once(
    pg_settings: Settings, services: Services, concurrency: int
) -> None:
    signed_up_volunteers(services, MESSAGES)
    services.runner.catch_up()
    keys = {r["message_key"] for r in services.db.query("SELECT message_key FROM outbox_messages")}
    assert len(keys) == MESSAGES
    with sms_gateway() as gateway:
        gateway.pause = 0.005
        gateway.failure_rate = FAILURE_RATE
        # a busy gateway's refusals, however many in a row (and the attempts the kills cost),
        # never make a message dead: only a refusal of the message itself does
        gateway.refused_at_most = 10 * MAX_ATTEMPTS
        gateway.refusing[min(keys)] = MAX_ATTEMPTS + 2  # one refused ten times in a row
        env = {
            "KATF_SMS_URL": gateway.url,
            "KATF_SMS_TOKEN": gateway.token,
            "KATF_QUIET_HOURS": "off",
            "KATF_DELIVERY_LEASE_SECONDS": "3",  # what a killed worker held is soon retaken
            "KATF_DELIVERY_CONCURRENCY": str(concurrency),
        }
        for kill in range(1, KILLS + 1):
            worker = katf(pg_settings, "deliver", **env)
            reached = kill * MESSAGES // (KILLS + 1)
            wait_until(lambda: len(gateway.delivered) >= reached, services.db, worker)  # noqa: B023
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
            assert len(gateway.delivered) < MESSAGES, "killed mid-way"
        services.runner.rebuild(services.runner.projection("outbox"))
        worker = katf(pg_settings, "deliver", **env)
        try:
            wait_until(lambda: statuses(services.db) == {"sent": MESSAGES}, services.db, worker)
        finally:
            stop(worker)
        services.runner.rebuild(services.runner.projection("outbox"))
        assert katf(pg_settings, "deliver", "--once", **env).wait() == 0
    assert set(gateway.delivered) == keys
    assert set(gateway.delivered.values()) == {1}
    # at most the messages in flight at each kill were offered again, and dropped as repeats
    repeats = sum(gateway.accepted.values()) - MESSAGES
    assert 0 <= repeats <= KILLS * in_flight(concurrency)
    # each refusal cost its message an attempt and a wait, never the message
    refused = sum(gateway.refused.values())
    assert refused > 0
    attempts = services.db.query("SELECT SUM(attempts) AS n FROM outbox_messages")[0]["n"]
    assert attempts >= MESSAGES + refused
    assert statuses(services.db) == {"sent": MESSAGES}
