"""Who may add volunteers to an association's roster."""

from __future__ import annotations

from uuid import UUID

from coordination.permissions import Actor


def may_import(actor: Actor, association_id: UUID) -> bool:
    return actor.is_admin or actor.coordinates(association_id)
