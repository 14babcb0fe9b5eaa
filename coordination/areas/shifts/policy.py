"""Who may plan, change and cancel a site's shifts and move the volunteers on them."""

from __future__ import annotations

from coordination.permissions import Actor
from coordination.shift import Shift


def runs_shift(actor: Actor, shift: Shift) -> bool:
    """The site's manager, the governorate's coordinator or the national admin."""
    return actor.manages_site(shift.site_id, shift.governorate)
