"""Who may create staff accounts and change their roles."""

from __future__ import annotations

from coordination.permissions import Actor


def manages_accounts(actor: Actor) -> bool:
    return actor.is_admin


def changes_own_password(actor: Actor) -> bool:
    """Anyone signed in changes their own password (a desk's device has no password)."""
    return actor.account_id is not None


def changes_own_details(actor: Actor) -> bool:
    """Only the volunteer changes their own name, governorate and home association."""
    return actor.volunteer_id is not None
