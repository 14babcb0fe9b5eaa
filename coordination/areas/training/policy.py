"""Who may run training sessions and enrol volunteers in them."""

from __future__ import annotations

from coordination.permissions import Actor, Role
from coordination.training import TrainingSession
from coordination.volunteer import Volunteer


def runs_training(actor: Actor) -> bool:
    return actor.is_admin or bool(actor.scopes(Role.ASSOCIATION_COORDINATOR))


def may_enrol(actor: Actor, volunteer: Volunteer) -> bool:
    return (
        actor.volunteer_id == volunteer.id
        or actor.coordinates(volunteer.association_id)
        or runs_training(actor)
    )


def organises(actor: Actor, session: TrainingSession) -> bool:
    """Attendance certifies, so only the session's organiser records it; a session scheduled
    before organisers were recorded, only the national admins."""
    return actor.is_admin or (
        session.organiser is not None and session.organiser == actor.account_id
    )
