"""Who may administer the campaign: the national admin everywhere, a governorate
coordinator the sites and associations of their governorate; staff accounts are the
national admin's."""

from __future__ import annotations

from coordination.permissions import Actor, Role


def administers_governorate(actor: Actor, governorate: str) -> bool:
    return actor.is_admin or actor.has(Role.GOVERNORATE_COORDINATOR, governorate)


def invites_staff(actor: Actor) -> bool:
    return actor.is_admin


def edits_associations(actor: Actor, governorate: str) -> bool:
    return administers_governorate(actor, governorate)
