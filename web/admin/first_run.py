"""Where each person starts: their own home after signing in, and the page where invited staff
set their password with the one-time code they were handed."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from coordination.account import BadSetUpCode
from coordination.areas.administration.commands import SetPassword
from coordination.errors import DomainError
from coordination.permissions import Actor, Role
from projections.campaign_admin import admin_site
from projections.database import Database
from web.platform.answers import dispatched
from web.platform.auth import actor_of, services_of
from web.platform.errors import message_of, status_of
from web.platform.flash import flash
from web.platform.i18n import N_, gettext_for
from web.platform.limits import address
from web.platform.ratelimit import SIGN_IN_ADDRESS
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]
BAD_CODE_STATUS = status_of(BadSetUpCode())
SITE_HOMES = {
    "packing": "/packing/{}",
    "distribution_point": "/points/{}",
    "kitchen": "/kitchens/{}",
}


def home_of(actor: Actor, db: Database) -> str:
    """The page a person starts from, by their most responsible role."""
    if actor.is_admin:
        return "/admin"
    if actor.scopes(Role.GOVERNORATE_COORDINATOR):
        return "/admin"
    for role in (Role.SITE_MANAGER, Role.KITCHEN_LEAD):
        for scope in sorted(actor.scopes(role)):
            site = admin_site(db, scope)
            if site is not None and not site["closed"]:
                return SITE_HOMES[site["kind"]].format(scope)
    for scope in sorted(actor.scopes(Role.ASSOCIATION_COORDINATOR)):
        return f"/associations/{scope}"
    if actor.has(Role.OPERATIONS_AGENT):
        return "/operations"
    return "/shifts"


class FirstRun(Controller):
    @get("/home", sync_to_thread=True)
    def home(self, request: AnyRequest) -> Redirect:
        return Redirect(home_of(actor_of(request), services_of(request).db))

    @get("/set-password", sync_to_thread=False)
    def set_password_form(self, request: AnyRequest) -> Response[str]:
        return page(request, "set_password.html", personal=True, form={})

    @post("/set-password")
    async def set_password(self, request: AnyRequest, data: Form) -> Response[Any]:
        phone, password = data.get("phone", ""), data.get("password", "")
        command = SetPassword(phone, data.get("code", ""), password)
        services, checks = services_of(request), [(SIGN_IN_ADDRESS, address(request))]
        try:
            services.limiter.check(checks)  # codes are guessed no faster than passwords
        except DomainError as refused:
            return self._refused(request, phone, status_of(refused), refused)
        outcome = await dispatched(request, command)
        if not outcome.ok:
            if outcome.status == BAD_CODE_STATUS:
                services.limiter.record(checks)
            return page(
                request,
                "set_password.html",
                status_code=outcome.status,
                personal=True,
                form={"phone": phone},
                error=outcome.notice,
            )
        flash(request, "success", gettext_for(locale_of(request), N_("Your password is set.")))
        return Redirect("/sign-in", status_code=303)

    def _refused(
        self, request: AnyRequest, phone: str, status: int, refused: DomainError
    ) -> Response[str]:
        return page(
            request,
            "set_password.html",
            status_code=status,
            personal=True,
            form={"phone": phone},
            error=message_of(refused, locale_of(request)),
        )
