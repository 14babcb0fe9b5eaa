"""The check-in desk: scan a badge (camera or hand scanner) or type a mobile number.

A desk browser is either a signed-in site manager or enrolled once with the site's device
code; the device code is kept in the server-side session, never in the browser.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from coordination.errors import DomainError
from projections.stadium import shifts_of_site
from projections.volunteer_directory import find_volunteer
from web.packing.views import today, who_is
from web.platform.auth import actor_of, services_of
from web.platform.errors import message_of, status_of
from web.platform.fields import point_of
from web.platform.guards import check_packing_site, requires_sign_in
from web.platform.render import locale_of, page
from web.platform.sessions import rotate_session

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


class DeskEnrolment(Controller):
    path = "/desk"

    @get("/", sync_to_thread=False)
    def form(self, request: AnyRequest) -> Response[str]:
        return page(request, "desk_enrol.html", personal=True, error=None)

    @post("/", sync_to_thread=True)
    def enrol(self, request: AnyRequest, data: Form) -> Response[Any]:
        secret = data.get("device_code", "").strip()
        actor = services_of(request).app.device_actor(secret)
        if actor is None or actor.device_site_id is None:
            return page(
                request,
                "desk_enrol.html",
                status_code=401,
                personal=True,
                error=True,
            )
        rotate_session(request, device_secret=secret)
        return Redirect(f"/packing/{actor.device_site_id}/desk", status_code=303)


class DeskPages(Controller):
    path = "/packing/{site_id:uuid}/desk"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def desk(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        return page(
            request, "desk.html", personal=True, result=None, **self._desk(request, site_id)
        )

    @post("/", sync_to_thread=True)
    def scan(self, request: AnyRequest, site_id: FromPath[UUID], data: Form) -> Response[Any]:
        """One scan or typed number: check in (walk-in if asked) or check out."""
        services, actor = services_of(request), actor_of(request)
        context = self._desk(request, site_id)
        app, status, result = services.app, 200, {"ok": False}
        try:
            volunteer_id = who_is(app, data.get("who", ""))
            command = app.check_out if data.get("action") == "out" else app.check_in
            extra = {} if data.get("action") == "out" else {"walk_in": data.get("walk_in") == "1"}
            state = command(
                actor,
                site_id,
                volunteer_id,
                data.get("idempotency_key", "") or str(uuid4()),
                shift_id=point_of(data.get("shift_id", "")),
                desk=data.get("desk", "")[:80],
                **extra,
            )
            status = 201 if state.recorded else 200
            person = find_volunteer(services.db, services.sealer, str(volunteer_id))
            result = {
                "ok": True,
                "action": data.get("action") or "in",
                "recorded": state.recorded,
                "walk_in": state.walk_in,
                "name": person["full_name"] if person else "",
                "at": (state.checked_out_at or state.checked_in_at or datetime.now(UTC)),
            }
        except DomainError as error:
            status = status_of(error)
            result = {"ok": False, "message": message_of(error, locale_of(request))}
        if not request.headers.get("hx-request"):
            return page(
                request, "desk.html", status_code=status, personal=True, result=result, **context
            )
        return page(
            request,
            "_desk_result.html",
            status_code=status,
            personal=True,
            result=result,
            **context,
        )

    def _desk(self, request: AnyRequest, site_id: UUID) -> dict[str, Any]:
        services = services_of(request)
        site = check_packing_site(actor_of(request), services.db, site_id)
        return {
            "site": site,
            "shifts": shifts_of_site(services.db, str(site_id), today()),
            "desk_name": request.query_params.get("desk", ""),
        }
