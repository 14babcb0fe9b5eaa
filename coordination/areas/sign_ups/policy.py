"""Who may place a volunteer on a shift or take them off it."""

from __future__ import annotations

from coordination.permissions import Actor
from coordination.shift import Shift
from coordination.volunteer import Volunteer


def may_sign_up(actor: Actor, shift: Shift, volunteer: Volunteer) -> bool:
    return (
        actor.volunteer_id == volunteer.id
        or actor.device_site_id == shift.site_id
        or actor.manages_site(shift.site_id, shift.governorate)
        or actor.coordinates(volunteer.association_id)
    )
