"""What distribution's commands and pages look up: a family by its national ID, a point."""

from __future__ import annotations

from uuid import UUID

from coordination.areas.distribution.policy import works_at
from coordination.dispatch import Store
from coordination.household import Household
from coordination.identity import parse_national_id
from coordination.permissions import Actor, require
from coordination.site import NotADistributionPoint, Site, SiteKind, SiteNotFound


def household_id_for(store: Store, national_id: str) -> UUID:
    nid = parse_national_id(national_id, today=store.clock().date())
    return Household.create_id(store.fingerprints.of("household", nid.digits))


def point_for(store: Store, actor: Actor, point_id: UUID) -> Site:
    """The distribution point, if the actor may hand off there."""
    point = store.get(point_id, Site, SiteNotFound)
    if point.kind != SiteKind.DISTRIBUTION_POINT:
        raise NotADistributionPoint()
    require(works_at(actor, point))
    return point
