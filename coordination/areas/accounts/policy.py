"""Who may create staff accounts and change their roles."""

from __future__ import annotations

from coordination.errors import Forbidden
from coordination.permissions import Actor, Grant, NotAllowed, Role

# What a governorate coordinator grants within their governorate; the rest is the admin's.
GOVERNORATE_GRANTS = frozenset({Role.SITE_MANAGER, Role.KITCHEN_LEAD, Role.ASSOCIATION_COORDINATOR})


def manages_accounts(actor: Actor) -> bool:
    return actor.is_admin


def manages_roles(actor: Actor) -> bool:
    """Who is offered the roles pages: the national admin, any governorate's coordinator."""
    return actor.is_admin or bool(actor.scopes(Role.GOVERNORATE_COORDINATOR))


def changes_grant(actor: Actor, grant: Grant, governorate: str | None) -> bool:
    """The admin everywhere; a governorate coordinator a site's, a kitchen's or an
    association's role when it lies in their governorate (``governorate``: the scope's)."""
    if actor.is_admin:
        return True
    return (
        grant.role in GOVERNORATE_GRANTS
        and governorate is not None
        and actor.has(Role.GOVERNORATE_COORDINATOR, governorate)
    )


def require_changes_grant(actor: Actor, grant: Grant, governorate: str | None) -> None:
    if changes_grant(actor, grant, governorate):
        return
    if manages_roles(actor):
        raise OutsideGovernorate()
    raise NotAllowed()


def changes_own_password(actor: Actor) -> bool:
    """Anyone signed in changes their own password (a desk's device has no password)."""
    return actor.account_id is not None


def changes_own_details(actor: Actor) -> bool:
    """Only the volunteer changes their own name, governorate and home association."""
    return actor.volunteer_id is not None


class OutsideGovernorate(Forbidden):
    code = "roles_outside_governorate"
