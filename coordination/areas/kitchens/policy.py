"""Who may set up a kitchen and log its batches."""

from __future__ import annotations

from coordination.permissions import Actor
from coordination.site import Site


def leads_kitchen(actor: Actor, kitchen: Site) -> bool:
    return actor.manages_site(kitchen.id, kitchen.governorate)
