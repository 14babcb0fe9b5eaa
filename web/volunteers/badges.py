"""QR badges: one on the volunteer's phone, a printable A4 sheet per shift for the desks."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import segno
from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from coordination.badges import badge_code
from projections.shift_board import get_shift
from projections.volunteer_directory import volunteers_on_shift
from web.platform.auth import actor_of, services_of
from web.platform.guards import check_packing_site, requires_sign_in
from web.platform.render import page

AnyRequest = Request[Any, Any, Any]


def badge_svg(fingerprints: Any, volunteer_id: UUID, scale: int = 4) -> str:
    """An inline SVG QR code of the volunteer's badge code (no script, no image request)."""
    code = badge_code(fingerprints, volunteer_id)
    return segno.make(code, error="m").svg_inline(scale=scale, omitsize=False)


class BadgePages(Controller):
    path = "/packing/shifts"
    guards = [requires_sign_in]

    @get("/{shift_id:uuid}/badges", sync_to_thread=True)
    def sheet(self, request: AnyRequest, shift_id: FromPath[UUID]) -> Response[str]:
        """Every volunteer of the shift on A4 pages, ready to print and cut."""
        services = services_of(request)
        shift = get_shift(services.db, str(shift_id))
        if shift is None:
            raise NotFoundException()
        site = check_packing_site(actor_of(request), services.db, UUID(shift["site_id"]))
        fingerprints = services.app.fingerprints
        badges = [
            {**volunteer, "qr": badge_svg(fingerprints, UUID(volunteer["volunteer_id"]), 3)}
            for volunteer in volunteers_on_shift(services.db, services.sealer, str(shift_id))
        ]
        return page(request, "badges.html", personal=True, shift=shift, site=site, badges=badges)
