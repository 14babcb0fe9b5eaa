"""Guards per resource: 401 for nobody, 403 for somebody without the right role or scope."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from coordination.identity import mask_phone
from coordination.permissions import Actor, Role
from projections.database import Database, Row
from projections.volunteer_directory import sites_of_volunteer
from web.auth import actor_of

Connection = ASGIConnection[Any, Any, Any, Any]


def signed_in(actor: Actor) -> bool:
    return actor.account_id is not None or actor.device_site_id is not None


def requires_sign_in(connection: Connection, _: BaseRouteHandler) -> None:
    if not signed_in(actor_of(connection)):
        raise NotAuthorizedException()


def requires_volunteer(connection: Connection, _: BaseRouteHandler) -> None:
    actor = actor_of(connection)
    if not signed_in(actor):
        raise NotAuthorizedException()
    if actor.volunteer_id is None:
        raise PermissionDeniedException("for volunteers")


def requires_admin(connection: Connection, _: BaseRouteHandler) -> None:
    actor = actor_of(connection)
    if not signed_in(actor):
        raise NotAuthorizedException()
    if not actor.is_admin:
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
