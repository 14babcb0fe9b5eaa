"""Server-rendered pages. Forms post without JavaScript; htmx swaps fragments in place."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, QueryParameter
from litestar.response import Redirect

from coordination.application import SignUpResult
from coordination.errors import DomainError
from projections.my_shifts import shift_ids_of, shifts_of
from projections.shift_board import find_shifts, get_shift, list_days, list_sites
from web.errors import message_of, status_of
from web.i18n import LANGUAGE_COOKIE, LOCALES, gettext_for
from web.messages import ERROR_MESSAGES, OUTCOME_MESSAGES
from web.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]

FIELD_OF_ERROR = {
    "invalid_name": "full_name",
    "invalid_phone": "phone",
    "phone_taken": "phone",
    "unknown_governorate": "governorate",
}


def services(request: AnyRequest) -> Any:
    return request.app.state.services


def current_volunteer(request: AnyRequest) -> str | None:
    return request.session.get("volunteer_id") if request.scope.get("session") else None


def flash(request: AnyRequest, kind: str, message: str) -> None:
    request.session["flash"] = [*request.session.get("flash", []), [kind, message]]


def take_flashes(request: AnyRequest) -> list[list[str]]:
    if not request.scope.get("session"):
        return []
    return request.session.pop("flash", [])


def safe_next(target: str | None, default: str = "/shifts") -> str:
    """Only paths on this site, never another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return default


def field_of(error: DomainError) -> str:
    if error.code.startswith("national_id") or error.code == "already_registered":
        return "national_id"
    return FIELD_OF_ERROR.get(error.code, "")


class Pages(Controller):
    @get("/", sync_to_thread=False)
    def home(self) -> Redirect:
        return Redirect("/shifts")

    @get("/language/{code:str}", sync_to_thread=False)
    def language(
        self, code: FromPath[str], back: Annotated[str | None, QueryParameter(name="next")] = None
    ) -> Redirect:
        response = Redirect(safe_next(back))
        if code in LOCALES:
            response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax")
        return response

    @get("/register", sync_to_thread=False)
    def register_form(self, request: AnyRequest) -> Response[str]:
        return page(
            request,
            "register.html",
            form={},
            errors={},
            flashes=take_flashes(request),
            personal=True,
        )

    @post("/register", sync_to_thread=True)
    def register(self, request: AnyRequest, data: Form) -> Response[Any]:
        form = {
            key: data.get(key, "") for key in ("full_name", "phone", "national_id", "governorate")
        }
        try:
            volunteer_id = services(request).app.register_volunteer(**form)
        except DomainError as error:
            errors = {field_of(error): message_of(error, locale_of(request))}
            form["national_id"] = ""
            return page(
                request,
                "register.html",
                status_code=status_of(error),
                form=form,
                errors=errors,
                flashes=[],
                personal=True,
            )
        request.session["volunteer_id"] = str(volunteer_id)
        flash(request, "success", gettext_for(locale_of(request), OUTCOME_MESSAGES["registered"]))
        return Redirect("/shifts", status_code=303)

    @get("/shifts", sync_to_thread=True)
    def shifts(
        self,
        request: AnyRequest,
        governorate: FromQuery[str | None] = None,
        site: FromQuery[str | None] = None,
        day: FromQuery[str | None] = None,
    ) -> Response[str]:
        db = services(request).db
        filters = {"governorate": governorate or "", "site": site or "", "day": day or ""}
        volunteer = current_volunteer(request)
        context = {
            "shifts": find_shifts(db, governorate=governorate, site_id=site, day=day),
            "mine": shift_ids_of(db, volunteer) if volunteer else set(),
            "volunteer": volunteer,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
        }
        if request.headers.get("hx-request") and request.headers.get("hx-target") == "shift-list":
            return page(request, "_shift_list.html", personal=True, **context)
        return page(
            request,
            "shifts.html",
            personal=True,
            flashes=take_flashes(request),
            sites=list_sites(db, governorate),
            days=list_days(db),
            **context,
        )

    @post("/shifts/{shift_id:uuid}/sign-up", sync_to_thread=True)
    def sign_up(self, request: AnyRequest, shift_id: FromPath[UUID], data: Form) -> Response[Any]:
        key = data.get("idempotency_key", "")
        return self._change(
            request, shift_id, data, lambda app, v: app.sign_up(shift_id, UUID(v), key)
        )

    @post("/shifts/{shift_id:uuid}/withdraw", sync_to_thread=True)
    def withdraw(self, request: AnyRequest, shift_id: FromPath[UUID], data: Form) -> Response[Any]:
        return self._change(request, shift_id, data, lambda app, v: app.withdraw(shift_id, UUID(v)))

    def _change(
        self, request: AnyRequest, shift_id: UUID, data: Form, command: Any
    ) -> Response[Any]:
        locale = locale_of(request)
        back = safe_next(data.get("next"))
        volunteer = current_volunteer(request)
        if volunteer is None:
            flash(request, "error", gettext_for(locale, ERROR_MESSAGES["not_registered"]))
            if request.headers.get("hx-request"):
                return Response("", status_code=200, headers={"HX-Redirect": "/register"})
            return Redirect("/register", status_code=303)
        status, result, notice = 200, None, None
        try:
            result = command(services(request).app, volunteer)
            notice = ["success", gettext_for(locale, OUTCOME_MESSAGES[result.outcome.value])]
        except DomainError as error:
            status, notice = status_of(error), ["error", message_of(error, locale)]
        if not request.headers.get("hx-request"):
            flash(request, *notice)
            return Redirect(back, status_code=303)
        return self._card(request, shift_id, result, notice, status, back)

    def _card(
        self,
        request: AnyRequest,
        shift_id: UUID,
        result: SignUpResult | None,
        notice: list[str],
        status: int,
        back: str,
    ) -> Response[str]:
        row = get_shift(services(request).db, str(shift_id))
        if row is None:
            return Response("", status_code=200, headers={"HX-Redirect": back})
        volunteer = current_volunteer(request)
        mine = shift_ids_of(services(request).db, volunteer) if volunteer else set()
        if result is not None:
            row = {**row, "taken": result.taken}
            mine = mine - {str(shift_id)}
            if result.outcome.value in ("signed_up", "already_signed_up"):
                mine = mine | {str(shift_id)}
        return page(
            request,
            "_shift_card.html",
            status_code=status,
            personal=True,
            shift=row,
            mine=mine,
            volunteer=volunteer,
            notice=notice,
            query=back.partition("?")[2],
            new_key=str(uuid4()),
        )

    @get("/my-shifts", sync_to_thread=True)
    def my_shifts(self, request: AnyRequest) -> Response[Any]:
        volunteer = current_volunteer(request)
        if volunteer is None:
            return Redirect("/register")
        rows = shifts_of(services(request).db, volunteer)
        return page(
            request,
            "my_shifts.html",
            personal=True,
            shifts=rows,
            mine={row["shift_id"] for row in rows},
            volunteer=volunteer,
            flashes=take_flashes(request),
            query="",
        )
