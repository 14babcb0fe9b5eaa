"""Who may ask for volunteers, lend them, take them, and answer an offer."""

from __future__ import annotations

from uuid import UUID

from coordination.permissions import Actor
from coordination.volunteer import Volunteer


def speaks_for(actor: Actor, association_id: UUID) -> bool:
    return actor.is_admin or actor.coordinates(association_id)


def may_lend(actor: Actor, volunteer: Volunteer) -> bool:
    return volunteer.association_id is not None and speaks_for(actor, volunteer.association_id)


def is_a_volunteer(actor: Actor) -> bool:
    return actor.volunteer_id is not None
