"""Who may create staff accounts and change their roles."""

from __future__ import annotations

from coordination.permissions import Actor


def manages_accounts(actor: Actor) -> bool:
    return actor.is_admin
