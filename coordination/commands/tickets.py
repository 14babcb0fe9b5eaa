"""The operations room: tickets from hotline, TV and social media, handled against deadlines."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from coordination.commands.base import CommandBase
from coordination.governorates import get_governorate
from coordination.identity import parse_contact_phone
from coordination.permissions import Actor, Role, require
from coordination.retry import retrying
from coordination.ticket import Ticket, TicketNotFound
from coordination.ticket_policy import DEFAULT_DEADLINES, Deadlines, Priority


def room_staff(actor: Actor) -> bool:
    return actor.is_admin or actor.has(Role.OPERATIONS_AGENT)


def steers_governorate(actor: Actor, governorate: str) -> bool:
    return room_staff(actor) or actor.has(Role.GOVERNORATE_COORDINATOR, governorate)


def steers(actor: Actor, ticket: Ticket) -> bool:
    return steers_governorate(actor, ticket.governorate)


def is_assignee(actor: Actor, assignee: tuple[str, UUID | str] | None) -> bool:
    if assignee is None:
        return False
    kind, assignee_id = assignee
    role = Role.ASSOCIATION_COORDINATOR if kind == "association" else Role.SITE_MANAGER
    return actor.has(role, assignee_id)


def may_see(actor: Actor, governorate: str, assignee: tuple[str, UUID | str] | None) -> bool:
    return steers_governorate(actor, governorate) or is_assignee(actor, assignee)


def handles(actor: Actor, ticket: Ticket) -> bool:
    return may_see(actor, ticket.governorate, ticket.assignee)


class TicketCommands(CommandBase):
    deadlines: dict[Priority, Deadlines] = DEFAULT_DEADLINES

    def open_ticket(
        self,
        actor: Actor,
        channel: str,
        category: str,
        governorate: str,
        description: str,
        contact_name: str = "",
        contact_phone: str = "",
        links: dict[str, str] | None = None,
    ) -> UUID:
        code = get_governorate(governorate).code
        require(steers_governorate(actor, code))
        ticket = Ticket.open(
            channel,
            category,
            code,
            description,
            contact_name,
            parse_contact_phone(contact_phone),
            links or {},
            self.clock(),
            actor.account_id,
        )
        self.save(ticket)
        return ticket.id

    def triage(self, actor: Actor, ticket_id: UUID, priority: str, category: str = "") -> None:
        self._change(
            actor,
            ticket_id,
            steers,
            lambda t: t.triage(priority, category, self.clock(), actor.account_id, self.deadlines),
        )

    def assign(self, actor: Actor, ticket_id: UUID, kind: str, assignee_id: UUID) -> None:
        self._change(
            actor,
            ticket_id,
            steers,
            lambda t: t.assign(kind, assignee_id, self.clock(), actor.account_id),
        )

    def acknowledge(self, actor: Actor, ticket_id: UUID) -> None:
        self._change(
            actor,
            ticket_id,
            lambda a, t: is_assignee(a, t.assignee),
            lambda t: t.acknowledge(self.clock(), actor.account_id),
        )

    def add_note(self, actor: Actor, ticket_id: UUID, text: str) -> None:
        self._change(
            actor, ticket_id, handles, lambda t: t.add_note(text, self.clock(), actor.account_id)
        )

    def escalate(self, actor: Actor, ticket_id: UUID) -> None:
        self._change(
            actor,
            ticket_id,
            handles,
            lambda t: t.escalate("manual", self.clock(), actor.account_id),
        )

    def resolve(self, actor: Actor, ticket_id: UUID, outcome: str) -> None:
        self._change(
            actor, ticket_id, handles, lambda t: t.resolve(outcome, self.clock(), actor.account_id)
        )

    def reopen(self, actor: Actor, ticket_id: UUID, reason: str) -> None:
        self._change(
            actor, ticket_id, steers, lambda t: t.reopen(reason, self.clock(), actor.account_id)
        )

    def escalate_if_overdue(self, ticket_id: UUID) -> list[str]:
        """The deadlines escalated now; several workers may call it, each escalates once."""
        escalated: list[str] = []

        def attempt() -> None:
            escalated.clear()
            ticket = self._get(ticket_id, Ticket, TicketNotFound)
            now = self.clock()
            for reason in ticket.overdue(now):
                ticket.escalate(reason, now, None)
                escalated.append(reason)
            if escalated:
                self.save(ticket)

        retrying(attempt)
        return escalated

    def _change(
        self,
        actor: Actor,
        ticket_id: UUID,
        allowed: Callable[[Actor, Ticket], bool],
        change: Callable[[Ticket], object],
    ) -> None:
        def attempt() -> None:
            ticket = self._get(ticket_id, Ticket, TicketNotFound)
            require(allowed(actor, ticket))
            change(ticket)
            if ticket.pending_events:
                self.save(ticket)

        with self.locks(ticket_id):
            retrying(attempt)
