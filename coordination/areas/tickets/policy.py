"""Who may open, steer, see and work a ticket."""

from __future__ import annotations

from uuid import UUID

from coordination.permissions import Actor, Role
from coordination.ticket import Ticket
from coordination.ticket_policy import Status


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


def acknowledges(actor: Actor, ticket: Ticket) -> bool:
    return is_assignee(actor, ticket.assignee)


def may_see(actor: Actor, governorate: str, assignee: tuple[str, UUID | str] | None) -> bool:
    return steers_governorate(actor, governorate) or is_assignee(actor, assignee)


def works_on(actor: Actor, ticket: Ticket) -> bool:
    return may_see(actor, ticket.governorate, ticket.assignee)


def may_open_tickets(actor: Actor) -> bool:
    """In some governorate: whether in the ticket's is decided when it is opened."""
    return room_staff(actor) or bool(actor.scopes(Role.GOVERNORATE_COORDINATOR))


TICKET_ACTIONS = ("triage", "assign", "acknowledge", "note", "escalate", "resolve", "reopen")


def ticket_actions(
    actor: Actor,
    governorate: str,
    assignee: tuple[str, UUID | str] | None,
    status: str,
    triaged: bool,
) -> tuple[str, ...]:
    """The steps this person may take on a ticket in this state, in the order pages show them.

    The same role checks the handlers require, with the states the ticket accepts each step in.
    """
    is_open = status != Status.RESOLVED
    steering = steers_governorate(actor, governorate)
    working = may_see(actor, governorate, assignee)
    allowed = {
        "triage": is_open and steering,
        "assign": is_open and steering and triaged,
        "acknowledge": status == Status.ASSIGNED and is_assignee(actor, assignee),
        "note": working,
        "escalate": is_open and working,
        "resolve": is_open and working,
        "reopen": not is_open and steering,
    }
    return tuple(action for action in TICKET_ACTIONS if allowed[action])
