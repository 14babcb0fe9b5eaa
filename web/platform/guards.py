"""Guards per resource: 401 for nobody, 403 for somebody without the right role or scope,
404 for what does not exist; and how much of a person's contact details each may see."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.exceptions import (
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.handlers.base import BaseRouteHandler

from coordination.areas.tickets.policy import is_assignee, may_see, room_staff
from coordination.identity import mask_phone
from coordination.permissions import Actor, Role
from projections.associations import find_association
from projections.database import Database, Row
from projections.kitchen_dashboard import find_kitchen
from projections.stadium import find_line, find_packing_site, leads_line
from projections.ticket_queue import find_ticket, visible_tickets
from projections.volunteer_directory import sites_of_volunteer
from web.platform.auth import resolved_actor

Connection = ASGIConnection[Any, Any, Any, Any]


async def _guarded(handler: BaseRouteHandler, connection: Connection) -> None:
    """Every guard in scope, each handed the route handler itself."""
    for guard in handler.resolve_guards():
        await guard(connection, handler)  # type: ignore[misc]


def guards_share_the_handler() -> None:
    """Litestar hands each guard a copy of the route handler, made per guard and request (a
    twentieth of a sign-up's answer in the rush's profile), so that a guard could change it
    safely. No guard here reads it (each names it ``_``; a test holds every guard of the app
    to that), so they are handed the handler itself."""
    BaseRouteHandler.authorize_connection = _guarded  # type: ignore[method-assign,assignment]


def signed_in(actor: Actor) -> bool:
    return actor.account_id is not None or actor.device_site_id is not None


async def requires_sign_in(connection: Connection, _: BaseRouteHandler) -> None:
    if not signed_in(await resolved_actor(connection)):
        raise NotAuthorizedException()


async def requires_volunteer(connection: Connection, _: BaseRouteHandler) -> None:
    actor = await resolved_actor(connection)
    if not signed_in(actor):
        raise NotAuthorizedException()
    if actor.volunteer_id is None:
        raise PermissionDeniedException("for volunteers")


async def requires_admin(connection: Connection, _: BaseRouteHandler) -> None:
    actor = await resolved_actor(connection)
    if not signed_in(actor):
        raise NotAuthorizedException()
    if not actor.is_admin:
        raise PermissionDeniedException()


async def requires_administration(connection: Connection, _: BaseRouteHandler) -> None:
    """Campaign administration: the national admin, or a governorate coordinator."""
    actor = await resolved_actor(connection)
    if not signed_in(actor):
        raise NotAuthorizedException()
    if not (actor.is_admin or actor.scopes(Role.GOVERNORATE_COORDINATOR)):
        raise PermissionDeniedException()


def phone_view(actor: Actor, volunteer: Row, db: Database) -> str | None:
    """How the actor may see a volunteer's phone: in full, masked, or not at all (None)."""
    volunteer_id = volunteer["volunteer_id"]
    if str(actor.volunteer_id) == volunteer_id or actor.coordinates(volunteer["association_id"]):
        return volunteer["phone"]
    managed = actor.scopes(Role.SITE_MANAGER) | actor.scopes(Role.KITCHEN_LEAD)
    if managed and managed & sites_of_volunteer(db, volunteer_id):
        return volunteer["phone"]
    if (
        actor.is_admin
        or actor.has(Role.OPERATIONS_AGENT)
        or actor.has(Role.GOVERNORATE_COORDINATOR, volunteer["governorate"])
    ):
        return mask_phone(volunteer["phone"])
    return None


def check_roster_access(actor: Actor, association_id: str) -> bool:
    """Full contact details for the association's coordinators; masked for national staff."""
    if actor.has(Role.ASSOCIATION_COORDINATOR, association_id):
        return True
    if actor.is_admin or actor.has(Role.OPERATIONS_AGENT):
        return False
    raise PermissionDeniedException()


def check_kitchen(actor: Actor, db: Any, kitchen_id: UUID) -> dict[str, Any]:
    kitchen = find_kitchen(db, str(kitchen_id))
    if kitchen is None:
        raise NotFoundException()
    if not (room_staff(actor) or actor.manages_site(kitchen_id, kitchen["governorate"])):
        raise PermissionDeniedException()
    return kitchen


def check_packing_site(actor: Actor, db: Any, site_id: UUID) -> dict[str, Any]:
    """The site's staff; national staff and the governorate see every site. Never a desk
    device: it does desk work only (``check_desk_site``)."""
    site = find_packing_site(db, str(site_id))
    if site is None:
        raise NotFoundException()
    if not (room_staff(actor) or actor.manages_site(site_id, site["governorate"])):
        raise PermissionDeniedException()
    return site


def check_desk_site(actor: Actor, db: Any, site_id: UUID) -> dict[str, Any]:
    """The site's check-in desk: its staff, and the desk devices enrolled at the site."""
    if actor.device_site_id is None:
        return check_packing_site(actor, db, site_id)
    site = find_packing_site(db, str(site_id))
    if site is None:
        raise NotFoundException()
    if actor.device_site_id != site_id:
        raise PermissionDeniedException()
    return site


def check_line(actor: Actor, db: Any, site_id: UUID, line_id: UUID) -> tuple[Row, str | None]:
    """The line and, for its lead, the shift they lead it on; the site's staff need none."""
    line = find_line(db, str(line_id))
    if line is None or line["site_id"] != str(site_id):
        raise NotFoundException()
    if actor.volunteer_id is not None:
        shift = leads_line(db, str(actor.volunteer_id), str(line_id))
        if shift is not None:
            return line, shift
    check_packing_site(actor, db, site_id)
    return line, None


def check_point(actor: Actor, db: Any, point_id: UUID) -> dict[str, Any]:
    rows = db.query(
        "SELECT * FROM board_sites WHERE site_id = %s AND kind = 'distribution_point'",
        (str(point_id),),
    )
    if not rows:
        raise NotFoundException()
    point = rows[0]
    if not (
        room_staff(actor)
        or actor.manages_site(point_id, point["governorate"])
        or actor.device_site_id == point_id
    ):
        raise PermissionDeniedException()
    return point


def check_association(actor: Actor, db: Any, association_id: UUID) -> dict[str, Any]:
    association = find_association(db, str(association_id))
    if association is None:
        raise NotFoundException()
    if not (actor.is_admin or actor.coordinates(association_id)):
        raise PermissionDeniedException()
    return association


def check_governorate(actor: Actor, code: str) -> None:
    if not (room_staff(actor) or actor.has(Role.GOVERNORATE_COORDINATOR, code)):
        raise PermissionDeniedException()


def check_national(actor: Actor) -> None:
    if not room_staff(actor):
        raise PermissionDeniedException()


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
