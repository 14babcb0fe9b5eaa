"""Who may open sites and associations, and run a site's shifts and desk devices."""

from __future__ import annotations

from coordination.permissions import Actor, Role
from coordination.site import Site, SiteClosed


def may_open_site(actor: Actor, governorate: str) -> bool:
    return actor.is_admin or actor.has(Role.GOVERNORATE_COORDINATOR, governorate)


def may_found_association(actor: Actor, governorate: str) -> bool:
    return actor.is_admin or actor.has(Role.GOVERNORATE_COORDINATOR, governorate)


def runs_site(actor: Actor, site: Site) -> bool:
    return actor.manages_site(site.id, site.governorate)


def require_open(site: Site) -> None:
    """A closed site takes no new shift and no sign-up to its shifts (those on them stay)."""
    if site.closed:
        raise SiteClosed()
