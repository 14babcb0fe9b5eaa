"""Who may add volunteers to an association's roster, and who answers for a volunteer."""

from __future__ import annotations

from uuid import UUID

from coordination.permissions import Actor, Role


def may_import(actor: Actor, association_id: UUID) -> bool:
    return actor.is_admin or actor.coordinates(association_id)


def may_answer_for(actor: Actor, volunteer_id: UUID) -> bool:
    return actor.volunteer_id == volunteer_id


def may_verify(actor: Actor, association_id: UUID | None) -> bool:
    """The association that imported the record, or the operations room."""
    return actor.is_admin or actor.has(Role.OPERATIONS_AGENT) or actor.coordinates(association_id)
