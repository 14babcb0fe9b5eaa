"""Who may administer the campaign: the national admin everywhere, a governorate
coordinator the sites and associations of their governorate; staff accounts are the
national admin's."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from coordination.permissions import Actor, Role


def administers_governorate(actor: Actor, governorate: str) -> bool:
    return actor.is_admin or actor.has(Role.GOVERNORATE_COORDINATOR, governorate)


def invites_staff(actor: Actor) -> bool:
    return actor.is_admin


def edits_associations(actor: Actor, governorate: str) -> bool:
    return administers_governorate(actor, governorate)


def issues_reset_code(actor: Actor, associations: Iterable[UUID | None]) -> bool:
    """The operations room and the national admins for anyone; an association's coordinator
    for the volunteers of their association (home or linked)."""
    if actor.has(Role.OPERATIONS_AGENT) or actor.is_admin:
        return True
    return any(actor.coordinates(association) for association in associations if association)


def may_issue_reset_codes(actor: Actor) -> bool:
    """Who is offered the page at all: the room, the admins, any association's coordinator."""
    coordinator = any(grant.role == Role.ASSOCIATION_COORDINATOR for grant in actor.grants)
    return issues_reset_code(actor, ()) or coordinator
