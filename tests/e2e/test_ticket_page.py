"""A ticket's page: the actions its state and the reader's role allow, the assignee picked by
name, and a timeline and deadlines in words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.tickets.commands import Acknowledge, Assign, OpenTicket, Resolve, Triage
from coordination.permissions import SYSTEM, Actor, Grant, Role
from tests.conftest import started
from tests.e2e.world import World, build_world
from tests.helpers import PASSWORD, mobile
from web.app import create_app
from web.platform.settings import Settings

STEERING = ("note", "escalate", "resolve")


@pytest.fixture
def world(sqlite_settings: Settings) -> Iterator[World]:
    for services in started(sqlite_settings):
        world = build_world(services, create_app(services, secure_cookies=False))
        world.phones["agent"] = mobile()
        services.dispatcher.run(
            CreateUser(
                world.phones["agent"], "Room Agent", PASSWORD, [Grant(Role.OPERATIONS_AGENT)]
            ),
            SYSTEM,
        )
        yield world


def actions_on(world: World, principal: str, ticket: UUID) -> list[str]:
    world.services.runner.catch_up()
    with world.client(principal) as client:
        page = client.get(f"/operations/tickets/{ticket}")
    assert page.status_code == 200
    return re.findall(r'data-action="(\w+)"', page.text)


def ticket_in(world: World, state: str) -> UUID:
    run, association = world.services.dispatcher.run, UUID(world.ids["association_x"])
    ticket = run(OpenTicket("hotline", "medical", "01", "Needs insulin"), SYSTEM)
    steps = {
        "triaged": [Triage(ticket, "urgent")],
        "assigned": [Triage(ticket, "urgent"), Assign(ticket, "association", association)],
        "acknowledged": [
            Triage(ticket, "urgent"),
            Assign(ticket, "association", association),
            Acknowledge(ticket),
        ],
        "resolved": [Triage(ticket, "urgent"), Resolve(ticket, "Delivered")],
    }
    coordinator = Actor(grants=frozenset({Grant(Role.ASSOCIATION_COORDINATOR, str(association))}))
    for command in steps.get(state, []):
        run(command, coordinator if isinstance(command, Acknowledge) else SYSTEM)
    return ticket


@pytest.mark.parametrize(
    ("state", "room", "assignee"),
    [
        ("new", ("triage", *STEERING), None),
        ("triaged", ("triage", "assign", *STEERING), None),
        ("assigned", ("triage", "assign", *STEERING), ("acknowledge", *STEERING)),
        ("acknowledged", ("triage", "assign", *STEERING), STEERING),
        ("resolved", ("note", "reopen"), None),
    ],
)
def test_each_state_shows_exactly_the_actions_the_policy_allows(
    world: World, state: str, room: tuple[str, ...], assignee: tuple[str, ...] | None
) -> None:
    ticket = ticket_in(world, state)
    assert actions_on(world, "agent", ticket) == list(room)
    assert actions_on(world, "admin", ticket) == list(room)
    if assignee is not None:
        assert actions_on(world, "coordinator_x", ticket) == list(assignee)


def test_the_admin_is_not_offered_what_the_handler_refuses(world: World) -> None:
    ticket = ticket_in(world, "assigned")
    assert "acknowledge" not in actions_on(world, "admin", ticket)
    with world.client("admin") as client:
        refused = client.post(f"/operations/tickets/{ticket}/acknowledge", data={})
    assert refused.status_code == 200 and "notice error" in refused.text


def test_an_agent_assigns_by_searching_a_name_with_plain_forms(world: World) -> None:
    ticket = ticket_in(world, "triaged")
    world.services.runner.catch_up()  # the page reads the views: they have the ticket
    association = world.ids["association_x"]
    with world.client("agent") as client:
        found = client.get(
            f"/operations/tickets/{ticket}",
            params={"kind": "association", "q": "association x", "lang": "en"},
        ).text
        assert f'<option value="{association}">Association X' in found
        assert world.ids["association_y"] not in found
        assigned = client.post(
            f"/operations/tickets/{ticket}/assign",
            data={"kind": "association", "assignee_id": association},
            follow_redirects=False,
        )
        assert assigned.status_code == 303
        world.services.runner.catch_up()
        page = client.get(f"/operations/tickets/{ticket}?lang=en").text
    timeline = page[page.index('class="timeline"') : page.index("</ol>")]
    assert "Assigned: Association: Association X" in timeline
    assert association not in timeline and "association:" not in timeline
    told = page[page.index("data-delivery-messages") :]  # the coordinator's message, followed
    states = re.findall(r'<tr data-state="(\w+)"><td[^>]*>A member of staff</td>', told)
    assert states in (["pending"], ["sent"])  # the app's delivery worker may have sent it
    assert "Ticket assigned" in told


def test_the_htmx_search_answers_the_choices_alone(world: World) -> None:
    ticket = ticket_in(world, "triaged")
    world.services.runner.catch_up()  # the page reads the views: they have the ticket
    with world.client("agent") as client:
        found = client.get(
            f"/operations/tickets/{ticket}/assignees",
            params={"kind": "association", "q": "جمعية ص"},
            headers={"HX-Request": "true"},
        ).text
    assert found.startswith('<form id="assignee-choice"')
    assert world.ids["association_y"] in found and world.ids["association_x"] not in found


def test_the_timeline_and_deadlines_are_in_words_in_both_languages(world: World) -> None:
    core = world.services.app
    core.clock = lambda: datetime.now(UTC) - timedelta(hours=2)
    late = ticket_in(world, "triaged")
    core.clock = lambda: datetime.now(UTC)
    world.services.runner.catch_up()
    with world.client("agent") as client:
        english = client.get(f"/operations/tickets/{late}?lang=en").text
        arabic = client.get(f"/operations/tickets/{late}?lang=ar").text
    assert "Triaged: Urgent" in english and ">urgent<" not in english
    assert "overdue by 1 hour" in english  # responded within the hour, opened two hours ago
    assert re.search(r"in 2[12] hours", english)  # resolved within 24 hours
    assert "متأخرة" in arabic and "عاجل" in arabic
