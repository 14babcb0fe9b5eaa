"""Who may see which kitchen dashboard."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.exceptions import NotFoundException, PermissionDeniedException

from coordination.permissions import Actor, Role
from projections.kitchen_dashboard import find_kitchen


def national_staff(actor: Actor) -> bool:
    return actor.is_admin or actor.has(Role.OPERATIONS_AGENT)


def check_kitchen(actor: Actor, db: Any, kitchen_id: UUID) -> dict[str, Any]:
    kitchen = find_kitchen(db, str(kitchen_id))
    if kitchen is None:
        raise NotFoundException()
    if not (national_staff(actor) or actor.manages_site(kitchen_id, kitchen["governorate"])):
        raise PermissionDeniedException()
    return kitchen


def check_governorate(actor: Actor, code: str) -> None:
    if not (national_staff(actor) or actor.has(Role.GOVERNORATE_COORDINATOR, code)):
        raise PermissionDeniedException()


def check_national(actor: Actor) -> None:
    if not national_staff(actor):
        raise PermissionDeniedException()
