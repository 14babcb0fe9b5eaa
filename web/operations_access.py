"""Who sees which tickets, and how much of the citizen's contact details."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException, PermissionDeniedException

from coordination.commands.tickets import is_assignee, may_see, room_staff
from coordination.identity import mask_phone
from coordination.permissions import Actor, Role
from projections.ticket_queue import find_ticket, visible_tickets

DESK_ROLES = (Role.GOVERNORATE_COORDINATOR, Role.ASSOCIATION_COORDINATOR, Role.SITE_MANAGER)


def check_desk(actor: Actor) -> None:
    if not (room_staff(actor) or any(actor.scopes(role) for role in DESK_ROLES)):
        raise PermissionDeniedException()


def queue_for(actor: Actor, services: Any, filters: dict[str, str]) -> list[dict[str, Any]]:
    rows = visible_tickets(
        services.db,
        services.sealer,
        everything=room_staff(actor),
        governorates=actor.scopes(Role.GOVERNORATE_COORDINATOR),
        assignees=actor.scopes(Role.ASSOCIATION_COORDINATOR) | actor.scopes(Role.SITE_MANAGER),
        filters=filters,
    )
    return [shown_to(actor, row) for row in rows]


def ticket_for(actor: Actor, services: Any, ticket_id: str) -> dict[str, Any]:
    ticket = find_ticket(services.db, services.sealer, ticket_id)
    if ticket is None:
        raise NotFoundException()
    if not may_see(actor, ticket["governorate"], assignee_of(ticket)):
        raise PermissionDeniedException()
    return shown_to(actor, ticket)


def assignee_of(ticket: dict[str, Any]) -> tuple[str, str] | None:
    return (ticket["assignee_kind"], ticket["assignee_id"]) if ticket["assignee_id"] else None


def shown_to(actor: Actor, ticket: dict[str, Any]) -> dict[str, Any]:
    """The room and the assignee call the citizen back; others see a masked number."""
    phone = ticket["contact_phone"]
    if phone and not (room_staff(actor) or is_assignee(actor, assignee_of(ticket))):
        phone = mask_phone(phone)
    return {**ticket, "contact_phone": phone}
