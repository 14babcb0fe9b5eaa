"""A delivery worker SIGKILLed mid-way, restarted, and the outbox rebuilt under it: every
message reaches the local SMS gateway exactly once (the messages in flight when the worker
died, at most ``RECORDED_TOGETHER``, are offered again under their references, which the
gateway drops as repeats)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.permissions import SYSTEM, Actor
from tests.conftest import started
from tests.gateways import sms_gateway
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import katf, stop, wait_for
from web.bootstrap import Services
from web.platform.settings import Settings
from workers.delivery import RECORDED_TOGETHER, statuses

pytestmark = pytest.mark.postgres
MESSAGES = 240
KILLS = 3


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


def alive(worker: subprocess.Popen[bytes]) -> bool:
    """False while it runs; a worker that could not start fails the test with its error."""
    if worker.poll() is not None:
        raise AssertionError(worker.stderr.read().decode()[-2000:])  # type: ignore[union-attr]
    return False


def test_a_killed_worker_and_a_rebuild_deliver_each_message_exactly_once(
    pg_settings: Settings, services: Services
) -> None:
    signed_up_volunteers(services, MESSAGES)
    services.runner.catch_up()
    keys = {r["message_key"] for r in services.db.query("SELECT message_key FROM outbox_messages")}
    assert len(keys) == MESSAGES
    with sms_gateway() as gateway:
        gateway.pause = 0.005
        env = {
            "KATF_SMS_URL": gateway.url,
            "KATF_SMS_TOKEN": gateway.token,
            "KATF_QUIET_HOURS": "off",
            "KATF_DELIVERY_LEASE_SECONDS": "3",  # what a killed worker held is soon retaken
        }
        for kill in range(1, KILLS + 1):
            worker = katf(pg_settings, "deliver", **env)
            reached = kill * MESSAGES // (KILLS + 1)
            wait_for(lambda: len(gateway.delivered) >= reached or alive(worker), seconds=120)  # noqa: B023
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
            assert len(gateway.delivered) < MESSAGES, "killed mid-way"
        services.runner.rebuild(services.runner.projection("outbox"))
        worker = katf(pg_settings, "deliver", **env)
        try:
            wait_for(lambda: statuses(services.db) == {"sent": MESSAGES}, seconds=120)
        finally:
            stop(worker)
        services.runner.rebuild(services.runner.projection("outbox"))
        assert katf(pg_settings, "deliver", "--once", **env).wait() == 0
    assert set(gateway.delivered) == keys
    assert set(gateway.delivered.values()) == {1}
    # at most the messages in flight at each kill were offered again, and dropped as repeats
    assert MESSAGES <= len(gateway.requests) <= MESSAGES + KILLS * RECORDED_TOGETHER
    assert statuses(services.db) == {"sent": MESSAGES}
