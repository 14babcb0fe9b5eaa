"""A packing site's check-in desks for its staff: issue a named desk code, print its
enrolment card (a QR code the desk's browser opens), see every desk and its last scan, revoke
one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

import segno
from babel.dates import format_timedelta
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from coordination.areas.sites.commands import IssueDeviceToken, RevokeDeviceToken
from coordination.calendar import from_utc_text
from projections.device_tokens import devices_of_site
from web.platform.answers import answered, caught_up, dispatched
from web.platform.auth import actor_of, services_of
from web.platform.flash import flash
from web.platform.guards import check_packing_site, requires_sign_in
from web.platform.i18n import N_, babel_locale, gettext_for, in_digits
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


def enrolment_link(request: AnyRequest, secret: str) -> str:
    return f"{request.base_url.scheme}://{request.base_url.netloc}/desk?code={secret}"


def qr_svg(text: str) -> str:
    return str(segno.make(text, error="m").svg_inline(scale=5, border=2))


def last_scan(text: str | None, now: datetime, locale: str) -> str:
    """ "last scan 3 minutes ago", or "no scan yet"."""
    if not text:
        return gettext_for(locale, N_("no scan yet"))
    since = max(now - from_utc_text(text), timedelta(0))  # a desk's clock a little ahead
    span = format_timedelta(since, threshold=1, format="long", locale=babel_locale(locale))
    return in_digits(gettext_for(locale, N_("last scan %(span)s ago"), span=span), locale)


class DevicePages(Controller):
    path = "/packing/{site_id:uuid}/devices"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def devices(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        db, locale, now = services_of(request).db, locale_of(request), datetime.now(UTC)
        site = check_packing_site(actor_of(request), db, site_id)
        devices = [
            {**d, "last_scan": last_scan(d["last_scan_at"], now, locale)}
            for d in devices_of_site(db, str(site_id))
        ]
        return page(request, "desk_devices.html", personal=True, site=site, devices=devices)

    @post("/")
    async def issue(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        """The code is shown once, on its printable card: it is never kept in the clear."""
        site = check_packing_site(actor_of(request), services_of(request).db, site_id)
        label = data.get("label", "")
        outcome = await dispatched(request, IssueDeviceToken(site_id, label))
        if not outcome.ok:
            flash(request, "error", outcome.notice or "")
            return Redirect(f"/packing/{site_id}/devices", status_code=303)
        await caught_up(request)
        secret = outcome.result.secret
        link = enrolment_link(request, secret)
        return page(
            request,
            "desk_card.html",
            status_code=201,
            personal=True,
            site=site,
            label=label.strip(),
            secret=secret,
            link=link,
            qr=qr_svg(link),
        )

    @post("/{token_id:uuid}/revoke")
    async def revoke(
        self, request: AnyRequest, site_id: FromPath[UUID], token_id: FromPath[UUID]
    ) -> Response[Any]:
        db = services_of(request).db
        check_packing_site(actor_of(request), db, site_id)
        if str(token_id) not in {d["token_id"] for d in devices_of_site(db, str(site_id))}:
            token_id = UUID(int=0)  # another site's desk: answered as unknown
        done = gettext_for(locale_of(request), N_("The desk code was revoked."))
        return await answered(
            request, RevokeDeviceToken(token_id), back=f"/packing/{site_id}/devices", done=done
        )
