"""Operations-room scenarios, run on every event store through one base class."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from coordination.areas.sites.commands import FoundAssociation
from coordination.areas.tickets.commands import (
    Acknowledge,
    AddNote,
    Assign,
    OpenTicket,
    Reopen,
    Resolve,
    Triage,
)
from coordination.errors import DomainError
from coordination.permissions import SYSTEM, Actor, Grant, Role
from coordination.ticket import Ticket
from projections.ticket_queue import statistics, timeline, visible_tickets
from tests.conftest import started
from web.bootstrap import Services
from workers.rounds import escalate_overdue

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
AGENT = Actor(account_id=UUID(int=1), grants=frozenset({Grant(Role.OPERATIONS_AGENT)}))


def coordinator_of(association: UUID) -> Actor:
    return Actor(
        account_id=UUID(int=2),
        grants=frozenset({Grant(Role.ASSOCIATION_COORDINATOR, str(association))}),
    )


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def queue_of(services: Services, actor: Actor | None = None, **filters: str) -> list[dict]:
    services.runner.catch_up()
    actor = actor or AGENT
    return visible_tickets(
        services.db,
        services.sealer,
        everything=actor.has(Role.OPERATIONS_AGENT),
        governorates=actor.scopes(Role.GOVERNORATE_COORDINATOR),
        assignees=actor.scopes(Role.ASSOCIATION_COORDINATOR),
        filters=filters,
    )


def open_urgent(services: Services, governorate: str = "01") -> UUID:
    ticket = services.dispatcher.run(
        OpenTicket(
            "hotline",
            "urgent_need",
            governorate,
            "Family of six without food",
            "Um Ahmed",
            "0223456789",
        ),
        AGENT,
    )
    services.dispatcher.run(Triage(ticket, "urgent"), AGENT)
    return ticket


def escalate_together(worker: Services, barrier: threading.Barrier, now: datetime) -> None:
    barrier.wait()
    escalate_overdue(worker, now)


class TicketScenarios:
    """Subclasses provide ``services`` and ``settings`` fixtures for one event store."""

    def test_a_tickets_whole_life_is_reflected_exactly(self, services: Services) -> None:
        clock = services.app.clock = Clock()
        x = services.dispatcher.run(FoundAssociation("x", "س", "X", "01"), SYSTEM)
        coordinator = coordinator_of(x)
        ticket = open_urgent(services)
        services.dispatcher.run(Assign(ticket, "association", x), AGENT)
        clock.now += timedelta(minutes=20)
        services.dispatcher.run(Acknowledge(ticket), coordinator)
        services.runner.catch_up()
        clock.now += timedelta(hours=25)
        assert escalate_overdue(services, clock.now) == 1
        services.dispatcher.run(
            AddNote(ticket, "Food delivered, checking the family's card"), coordinator
        )
        services.dispatcher.run(Resolve(ticket, "Box and hot meals delivered"), coordinator)
        services.dispatcher.run(Reopen(ticket, "The family called again"), AGENT)
        clock.now += timedelta(hours=2)
        services.dispatcher.run(Resolve(ticket, "Second delivery done"), coordinator)
        [row] = queue_of(services)
        assert row["status"] == "resolved" and row["escalations"] == 1
        assert row["resolution_seconds"] == int((clock.now - START).total_seconds())
        kinds = [e["kind"] for e in timeline(services.db, services.sealer, str(ticket))]
        assert kinds == [
            "opened",
            "triaged",
            "assigned",
            "acknowledged",
            "escalated",
            "note",
            "resolved",
            "reopened",
            "resolved",
        ]
        stats = {s["key"]: s for s in statistics(services.db, "assignee")}[str(x)]
        assert (stats["total"], stats["open"], stats["resolved"], stats["escalations"]) == (
            1,
            0,
            1,
            1,
        )
        before = (
            queue_of(services),
            statistics(services.db, "assignee"),
            statistics(services.db, "governorate"),
        )
        services.runner.rebuild(services.runner.projection("ticket_queue"))
        assert (
            queue_of(services),
            statistics(services.db, "assignee"),
            statistics(services.db, "governorate"),
        ) == before

    def test_another_association_can_neither_see_nor_act(self, services: Services) -> None:
        x = services.dispatcher.run(FoundAssociation("x", "س", "X", "01"), SYSTEM)
        y = services.dispatcher.run(FoundAssociation("y", "ص", "Y", "01"), SYSTEM)
        ticket = open_urgent(services)
        services.dispatcher.run(Assign(ticket, "association", x), AGENT)
        assert queue_of(services, coordinator_of(y)) == []
        assert len(queue_of(services, coordinator_of(x))) == 1
        for act in (
            lambda a: services.dispatcher.run(Acknowledge(ticket), a),
            lambda a: services.dispatcher.run(AddNote(ticket, "hello"), a),
            lambda a: services.dispatcher.run(Resolve(ticket, "done"), a),
        ):
            with pytest.raises(DomainError) as refused:
                act(coordinator_of(y))
            assert refused.value.code == "not_allowed"

    def test_a_governorate_coordinator_sees_only_their_governorate(
        self, services: Services
    ) -> None:
        services.app.clock = Clock()
        open_urgent(services, "01")
        open_urgent(services, "02")
        alexandria = Actor(
            account_id=UUID(int=3), grants=frozenset({Grant(Role.GOVERNORATE_COORDINATOR, "02")})
        )
        assert [t["governorate"] for t in queue_of(services, alexandria)] == ["02"]
        assert len(queue_of(services)) == 2

    def test_deadline_escalation_happens_once_with_two_workers(
        self, services: Services, settings: object
    ) -> None:
        services.app.clock = Clock()
        tickets = [open_urgent(services) for _ in range(5)]
        services.runner.catch_up()
        late = START + timedelta(days=2)
        for other in started(settings):  # a second worker on the same database
            for worker in (services, other):
                worker.app.clock = lambda: late
            barrier = threading.Barrier(2)
            threads = [
                threading.Thread(target=escalate_together, args=(w, barrier, late))
                for w in (services, other)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        for ticket in tickets:
            events = services.app.events.get(ticket)
            reasons = sorted(e.reason for e in events if isinstance(e, Ticket.Escalated))
            assert reasons == ["resolution", "response"]
        assert escalate_overdue(services, late) == 0
