"""Who may place a volunteer on a shift or take them off it."""

from __future__ import annotations

from coordination.permissions import Actor
from coordination.shift import Shift
from coordination.volunteer import Volunteer


def may_sign_up(actor: Actor, shift: Shift, volunteer: Volunteer) -> bool:
    """The volunteer themself, or their own association's coordinator. A site's staff never
    enlist a volunteer here: they place one who stands at their desk (a walk-in) or who
    accepted an exchange; anyone else consents first by signing up. The national admin (and
    the system's own rounds) keep the power to correct a roster."""
    return (
        actor.volunteer_id == volunteer.id
        or actor.coordinates(volunteer.association_id)
        or actor.is_admin
    )


def may_withdraw(actor: Actor, shift: Shift, volunteer: Volunteer) -> bool:
    return (
        actor.volunteer_id == volunteer.id
        or actor.manages_site(shift.site_id, shift.governorate)
        or actor.coordinates(volunteer.association_id)
    )
