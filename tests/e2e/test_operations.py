"""The operations room's pages and API: opening, the queue's highlights, masking, the report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.tickets.commands import OpenTicket, Triage
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.clients import sign_in
from tests.e2e.world import World, build_world
from tests.helpers import PASSWORD, mobile
from web.app import create_app
from web.platform.settings import Settings


@pytest.fixture
def world(sqlite_settings: Settings) -> Iterator[World]:
    for services in started(sqlite_settings):
        world = build_world(services, create_app(services, secure_cookies=False))
        world.phones["cairo"] = mobile()
        services.dispatcher.run(
            CreateUser(
                world.phones["cairo"],
                "Cairo Coordinator",
                PASSWORD,
                [Grant(Role.GOVERNORATE_COORDINATOR, "01")],
            ),
            SYSTEM,
        )
        yield world


def test_an_agent_opens_a_ticket_and_sees_its_timeline(world: World) -> None:
    with world.client("admin") as client:
        opened = client.post(
            "/operations/tickets",
            follow_redirects=False,
            data={
                "channel": "tv",
                "category": "urgent_need",
                "governorate": "01",
                "description": "Widow with four children, no food",
                "contact_phone": "01012345678",
            },
        )
        assert opened.status_code == 303
        world.services.runner.catch_up()
        page = client.get(opened.headers["location"]).text
    assert "Widow with four children" in page and 'data-kind="opened"' in page


def test_overdue_tickets_are_highlighted_in_the_queue(world: World) -> None:
    core = world.services.app
    core.clock = lambda: datetime.now(UTC) - timedelta(days=2)
    late = world.services.dispatcher.run(
        OpenTicket("hotline", "medical", "01", "Needs insulin"), SYSTEM
    )
    world.services.dispatcher.run(Triage(late, "urgent"), SYSTEM)
    core.clock = lambda: datetime.now(UTC)
    world.services.runner.catch_up()
    with world.client("admin") as client:
        queue = client.get("/operations").text
    row = queue[queue.index(f'data-ticket="{late}"') - 40 : queue.index(f'data-ticket="{late}"')]
    assert 'class="overdue"' in row


def test_callers_phones_are_masked_for_those_who_do_not_call_back(world: World) -> None:
    ticket = world.ids["ticket"]
    with world.client("admin") as client:
        assert client.get(f"/api/v1/tickets/{ticket}").json()["contact_phone"] == "+20223456789"
    with world.client("coordinator_x") as client:
        assert client.get(f"/api/v1/tickets/{ticket}").json()["contact_phone"] == "+20223456789"
    with TestClient(world.app) as client:
        sign_in(client, world.phones["cairo"])
        shown = client.get(f"/api/v1/tickets/{ticket}").json()["contact_phone"]
    assert shown != "+20223456789" and shown.endswith("89") and "•" in shown


def test_the_weekly_report_lists_the_weeks_tickets(world: World) -> None:
    with world.client("admin") as client:
        report = client.get("/operations/report/csv")
    assert report.status_code == 200
    assert world.ids["ticket"] in report.text
    assert report.text.splitlines()[0].lstrip("\ufeff").startswith("ticket_id,opened_at")
