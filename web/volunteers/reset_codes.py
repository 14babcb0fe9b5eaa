"""A way back from a forgotten password: the volunteer's association coordinator or the
operations room looks the volunteer up by phone and issues a one-time code, shown once on
this page and sent to the volunteer by SMS (through the outbox, when an SMS gateway is
configured); the volunteer sets a new password with it on /set-password (phone, code, new
password)."""

from __future__ import annotations

from typing import Annotated, Any

from babel.dates import format_datetime
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.params import Body

from coordination.areas.administration.commands import IssueResetCode
from coordination.areas.administration.policy import may_issue_reset_codes
from coordination.calendar import local
from web.platform.answers import dispatched
from web.platform.auth import resolved_actor, services_of
from web.platform.guards import requires_sign_in
from web.platform.i18n import babel_locale, in_digits
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


class ResetCodePages(Controller):
    path = "/reset-codes"
    guards = [requires_sign_in]

    @get("/")
    async def form(self, request: AnyRequest) -> Response[str]:
        if not may_issue_reset_codes(await resolved_actor(request)):
            raise PermissionDeniedException()
        return page(request, "reset_codes.html", personal=True, phone="", errors={}, issued=None)

    @post("/")
    async def issue(self, request: AnyRequest, data: Form) -> Response[str]:
        """The code is in this answer only: it is kept hashed and never listed."""
        phone = data.get("phone", "").strip()
        outcome = await dispatched(request, IssueResetCode(phone))
        if not outcome.ok:
            return page(
                request,
                "reset_codes.html",
                status_code=outcome.status,
                personal=True,
                phone=phone,
                errors={"phone": outcome.notice},
                issued=None,
            )
        locale = locale_of(request)
        until = format_datetime(
            local(outcome.result.expires_at), format="medium", locale=babel_locale(locale)
        )
        issued = {
            "code": outcome.result.code,
            "phone": phone,
            "until": in_digits(until, locale),
            "by_sms": bool(services_of(request).settings.sms_url),  # else it goes to the log
        }
        return page(request, "reset_codes.html", personal=True, phone="", errors={}, issued=issued)
