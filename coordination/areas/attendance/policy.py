"""Who may scan at a desk, place volunteers on the floor and mark no-shows."""

from __future__ import annotations

from uuid import UUID

from coordination.permissions import Actor


def may_scan(actor: Actor, site_id: UUID, governorate: str) -> bool:
    """The site's staff and its desks."""
    return actor.manages_site(site_id, governorate) or actor.device_site_id == site_id


def may_place(actor: Actor, site_id: UUID, governorate: str) -> bool:
    return actor.manages_site(site_id, governorate)


def runs_rounds(actor: Actor) -> bool:
    """The rounds that close a shift run as the system; national staff may run them too."""
    return actor.is_admin
