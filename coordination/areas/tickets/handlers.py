"""A ticket's steps, each decided on the ticket alone under its lock; the deadlines are the
deployment's (``store.deadlines``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from coordination.areas.tickets.commands import (
    Acknowledge,
    AddNote,
    Assign,
    Escalate,
    EscalateIfOverdue,
    OpenTicket,
    Reopen,
    Resolve,
    Triage,
)
from coordination.areas.tickets.policy import acknowledges, steers, steers_governorate, works_on
from coordination.dispatch import Decision, Store, handles
from coordination.governorates import get_governorate
from coordination.identity import parse_contact_phone
from coordination.permissions import Actor, require
from coordination.ticket import Ticket, TicketNotFound

Allowed = Callable[[Actor, Ticket], bool]


@handles(OpenTicket)
def open_ticket(store: Store, command: OpenTicket, actor: Actor) -> UUID:
    code = get_governorate(command.governorate).code
    require(steers_governorate(actor, code))
    ticket = Ticket.open(
        command.channel,
        command.category,
        code,
        command.description,
        command.contact_name,
        parse_contact_phone(command.contact_phone),
        command.links or {},
        store.clock(),
        actor.account_id,
    )
    store.save(ticket)
    return ticket.id


@handles(Triage, planned=True)
def triage(store: Store, command: Triage, actor: Actor) -> Decision[None]:
    return _change(
        store,
        actor,
        command.ticket_id,
        steers,
        lambda t: t.triage(
            command.priority, command.category, store.clock(), actor.account_id, store.deadlines
        ),
    )


@handles(Assign, planned=True)
def assign(store: Store, command: Assign, actor: Actor) -> Decision[None]:
    return _change(
        store,
        actor,
        command.ticket_id,
        steers,
        lambda t: t.assign(command.kind, command.assignee_id, store.clock(), actor.account_id),
    )


@handles(Acknowledge, planned=True)
def acknowledge(store: Store, command: Acknowledge, actor: Actor) -> Decision[None]:
    return _change(
        store,
        actor,
        command.ticket_id,
        acknowledges,
        lambda t: t.acknowledge(store.clock(), actor.account_id),
    )


@handles(AddNote, planned=True)
def add_note(store: Store, command: AddNote, actor: Actor) -> Decision[None]:
    return _change(
        store,
        actor,
        command.ticket_id,
        works_on,
        lambda t: t.add_note(command.text, store.clock(), actor.account_id),
    )


@handles(Escalate, planned=True)
def escalate(store: Store, command: Escalate, actor: Actor) -> Decision[None]:
    return _change(
        store,
        actor,
        command.ticket_id,
        works_on,
        lambda t: t.escalate("manual", store.clock(), actor.account_id),
    )


@handles(Resolve, planned=True)
def resolve(store: Store, command: Resolve, actor: Actor) -> Decision[None]:
    return _change(
        store,
        actor,
        command.ticket_id,
        works_on,
        lambda t: t.resolve(command.outcome, store.clock(), actor.account_id),
    )


@handles(Reopen, planned=True)
def reopen(store: Store, command: Reopen, actor: Actor) -> Decision[None]:
    return _change(
        store,
        actor,
        command.ticket_id,
        steers,
        lambda t: t.reopen(command.reason, store.clock(), actor.account_id),
    )


@handles(EscalateIfOverdue, planned=True)
def escalate_if_overdue(
    store: Store, command: EscalateIfOverdue, actor: Actor
) -> Decision[list[str]]:
    """The deadlines escalated now; several workers may ask, each deadline escalates once."""

    def decide(aggregates: dict[UUID, Any]) -> list[str]:
        ticket = store.held(aggregates, command.ticket_id, Ticket, TicketNotFound)
        now = store.clock()
        escalated = ticket.overdue(now)
        for reason in escalated:
            ticket.escalate(reason, now, None)
        return escalated

    return Decision(decide, (command.ticket_id,), lock=command.ticket_id)


def _change(
    store: Store,
    actor: Actor,
    ticket_id: UUID,
    allowed: Allowed,
    change: Callable[[Ticket], object],
) -> Decision[None]:
    def decide(aggregates: dict[UUID, Any]) -> None:
        ticket = store.held(aggregates, ticket_id, Ticket, TicketNotFound)
        require(allowed(actor, ticket))
        change(ticket)

    return Decision(decide, (ticket_id,), lock=ticket_id)
