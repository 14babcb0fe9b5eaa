"""A volunteer's certificates on their service page, with the day each stops being valid
written as a reader says it."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from coordination.areas.training.commands import Enrol, RecordAttendance
from coordination.permissions import SYSTEM, Actor, Grant, Role
from tests.conftest import started
from tests.e2e.world import World, build_world
from web.app import create_app
from web.platform.settings import Settings


@pytest.fixture
def world(sqlite_settings: Settings) -> Iterator[World]:
    for services in started(sqlite_settings):
        yield build_world(services, create_app(services, secure_cookies=False))


def test_a_certificate_shows_its_expiry_in_words(world: World) -> None:
    session, volunteer = UUID(world.ids["session"]), UUID(world.ids["volunteer_a"])
    run = world.services.dispatcher.run
    run(Enrol(session, volunteer), SYSTEM)
    run(RecordAttendance(session, volunteer), Actor(grants=frozenset({Grant(Role.NATIONAL_ADMIN)})))
    world.services.runner.catch_up()
    with world.client("volunteer_a") as client:
        english = client.get("/my-service?lang=en").text
    line = english[english.index('data-certificate="first_aid"') :].split("</li>")[0]
    assert "valid until" in line and any(
        day in line
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )
