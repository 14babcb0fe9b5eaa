"""Who may open rounds, register households and give out or take in items at a point."""

from __future__ import annotations

from coordination.permissions import Actor, Role
from coordination.site import Site, SiteKind


def opens_rounds(actor: Actor) -> bool:
    return actor.is_admin


def registers_in(actor: Actor, governorate: str) -> bool:
    return actor.is_admin or actor.has(Role.GOVERNORATE_COORDINATOR, governorate)


def works_at(actor: Actor, site: Site) -> bool:
    """The site's managers, and the site's own devices."""
    return actor.manages_site(site.id, site.governorate) or actor.device_site_id == site.id


def takes_in(actor: Actor, site: Site) -> bool:
    """The site's managers, and a distribution point's own devices; a packing site's desk
    device does desk work only (check-in, check-out, walk-in)."""
    return actor.manages_site(site.id, site.governorate) or (
        site.kind == SiteKind.DISTRIBUTION_POINT and actor.device_site_id == site.id
    )
