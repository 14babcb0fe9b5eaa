"""The check-in desk: scan a badge (camera or hand scanner) or type a mobile number.

A desk browser is either a signed-in site manager or enrolled once with the site's device
code; the device code is kept in the server-side session, never in the browser.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect

from coordination.areas.attendance.commands import CheckIn, CheckOut
from coordination.areas.sites.lookups import device_actor, token_id_of
from projections.attendance_board import VIEW as ATTENDANCE_VIEW
from projections.device_tokens import device_label
from projections.stadium import shifts_of_site
from projections.volunteer_directory import find_volunteer
from web.packing.views import today, who_is
from web.platform.answers import dispatched
from web.platform.auth import actor_of, services_of
from web.platform.fields import point_of
from web.platform.guards import check_desk_site, requires_sign_in
from web.platform.render import page
from web.platform.sessions import rotate_session

if TYPE_CHECKING:
    from web.bootstrap import Services

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]
WAIT_SECONDS = 2.0


class DeskEnrolment(Controller):
    path = "/desk"

    @get("/", sync_to_thread=False)
    def form(self, request: AnyRequest, code: FromQuery[str] = "") -> Response[str]:
        """``code`` comes from the QR code on the desk's enrolment card."""
        return page(request, "desk_enrol.html", personal=True, error=None, code=code)

    @post("/", sync_to_thread=True)
    def enrol(self, request: AnyRequest, data: Form) -> Response[Any]:
        secret = data.get("device_code", "").strip()
        app = services_of(request).app
        actor, token_id = device_actor(app, secret), token_id_of(app, secret)
        if actor is None or actor.device_site_id is None or token_id is None:
            return page(
                request,
                "desk_enrol.html",
                status_code=401,
                personal=True,
                error=True,
            )
        rotate_session(request, device_token_id=str(token_id))
        return Redirect(f"/packing/{actor.device_site_id}/desk", status_code=303)


class DeskPages(Controller):
    path = "/packing/{site_id:uuid}/desk"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def desk(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        return page(
            request, "desk.html", personal=True, result=None, **self._desk(request, site_id)
        )

    @post("/")
    async def scan(self, request: AnyRequest, site_id: FromPath[UUID], data: Form) -> Response[Any]:
        """One scan or typed number: check in (walk-in if asked) or check out. The answer
        names the person and their shift and carries the shift counts with this scan in."""
        services = services_of(request)
        await sync_to_thread(check_desk_site, actor_of(request), services.db, site_id)
        key = data.get("idempotency_key", "") or str(uuid4())
        shift_id, desk = point_of(data.get("shift_id", "")), data.get("desk", "")[:80]
        who, walk_in = who_is(data.get("who", "")), data.get("walk_in") == "1"
        command: CheckIn | CheckOut = (
            CheckOut(site_id, None, key, shift_id, desk=desk, **who)
            if data.get("action") == "out"
            else CheckIn(site_id, None, key, shift_id, walk_in, desk=desk, **who)
        )
        outcome = await dispatched(request, command)
        status = outcome.status
        result: dict[str, Any] = {"ok": False, "message": outcome.notice}
        if outcome.ok:
            await sync_to_thread(caught_up, services, ATTENDANCE_VIEW)
        context = await sync_to_thread(self._desk, request, site_id)
        context["selected"] = data.get("shift_id", "")
        if outcome.ok:
            state = outcome.result
            person = await sync_to_thread(
                find_volunteer, services.db, services.sealer, str(state.volunteer_id)
            )
            status = 201 if state.recorded else 200
            result = {
                "ok": True,
                "action": data.get("action") or "in",
                "recorded": state.recorded,
                "walk_in": state.walk_in,
                "name": person["full_name"] if person else "",
                "shift": next(
                    (s for s in context["shifts"] if s["shift_id"] == str(state.shift_id)), None
                ),
                "at": (state.checked_out_at or state.checked_in_at or datetime.now(UTC)),
            }
        template = "_desk_answer.html" if request.headers.get("hx-request") else "desk.html"
        return await sync_to_thread(
            lambda: page(
                request, template, status_code=status, personal=True, result=result, **context
            )
        )

    def _desk(self, request: AnyRequest, site_id: UUID) -> dict[str, Any]:
        services = services_of(request)
        actor = actor_of(request)
        site = check_desk_site(actor, services.db, site_id)
        desk_name = request.query_params.get("desk", "")
        if not desk_name and actor.device_id is not None:  # a desk enrolled with its card
            desk_name = device_label(services.db, str(actor.device_id))
        return {
            "site": site,
            "shifts": shifts_of_site(services.db, str(site_id), today()),
            "desk_name": desk_name,
            "selected": "",
        }


def caught_up(services: Services, view: str, seconds: float = WAIT_SECONDS) -> bool:
    """Waits, a bounded time, until ``view`` has applied the log as it is now, so the
    counts shown with an answer include the scan it answers."""
    runner = services.runner
    head, projection = runner.head(), runner.projection(view)
    deadline = time.monotonic() + seconds
    while runner.position(projection) < head:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
