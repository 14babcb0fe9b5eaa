"""Server-rendered pages. Forms post without JavaScript; htmx swaps fragments in place."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, QueryParameter
from litestar.response import Redirect

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.accounts.lookups import account_id_for
from coordination.areas.sign_ups.commands import SignUp, Withdraw
from coordination.errors import DomainError
from coordination.registration import RegistrationRefused
from projections.associations import list_associations
from projections.my_shifts import VIEW as MY_SHIFTS
from projections.my_shifts import calendar_link_of, lost_shifts_of, shift_ids_of, shifts_of
from projections.shift_board import VIEW as SHIFT_BOARD
from projections.shift_board import find_shifts, get_shift, list_days, list_sites
from projections.stadium import place_of
from projections.volunteer_directory import being_checked
from projections.waitlists import VIEW as WAITLISTS
from projections.waitlists import positions_of, waited_shifts_of
from web.platform.answers import Outcome, answered
from web.platform.auth import actor_of, resolved_actor, services_of, volunteer_of
from web.platform.errors import message_of, status_of
from web.platform.flash import take_flashes
from web.platform.guards import requires_volunteer
from web.platform.i18n import LANGUAGE_COOKIE, LOCALES, gettext_for
from web.platform.limits import limited_sign_in, registration_limits
from web.platform.messages import ERROR_MESSAGES, OUTCOME_MESSAGES
from web.platform.render import locale_of, page
from web.platform.seen import wait_for_own_write
from web.platform.sessions import end_session, rotate_session
from web.volunteers.badges import badge_svg
from web.volunteers.calendar import feed_path

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
SHIFTS_PER_PAGE = 40
AnyRequest = Request[Any, Any, Any]
VOLUNTEER_VIEWS = (SHIFT_BOARD, MY_SHIFTS, WAITLISTS)  # what the shift pages read
REGISTRATION_FIELDS = (
    "full_name",
    "phone",
    "national_id",
    "governorate",
    "password",
    "association_id",
)
FIELD_OF_ERROR = {
    "invalid_name": "full_name",
    "invalid_phone": "phone",
    "phone_taken": "phone",
    "unknown_governorate": "governorate",
    "password_length": "password",
    "common_password": "password",
    "association_not_found": "association_id",
}


def safe_next(target: str | None, default: str = "/shifts") -> str:
    """Only paths on this site, never another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return default


def field_of(error: DomainError) -> str:
    if error.code.startswith("national_id") or error.code == "already_registered":
        return "national_id"
    return FIELD_OF_ERROR.get(error.code, "")


def said(request: AnyRequest, outcome: str) -> str:
    return gettext_for(locale_of(request), OUTCOME_MESSAGES[outcome])


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

    @get("/register", sync_to_thread=True)
    def register_form(self, request: AnyRequest) -> Response[str]:
        return self._registration(request, {}, {}, 200)

    @post("/register", sync_to_thread=True)
    def register(self, request: AnyRequest, data: Form) -> Response[Any]:
        form = {key: data.get(key, "").strip() for key in REGISTRATION_FIELDS}
        try:
            with registration_limits(request, form["phone"]):
                association = UUID(form["association_id"]) if form["association_id"] else None
                services_of(request).dispatcher.run(
                    RegisterVolunteer(
                        form["full_name"],
                        form["phone"],
                        form["national_id"],
                        form["governorate"],
                        data.get("password", ""),
                        association,
                        locale_of(request),  # their messages in the language they read
                    )
                )
        except RegistrationRefused as refused:
            locale = locale_of(request)
            errors = {field: message_of(error, locale) for field, error in refused.errors.items()}
            return self._registration(request, form, errors, status_of(refused))
        except DomainError as error:
            errors = {field_of(error): message_of(error, locale_of(request))}
            return self._registration(request, form, errors, status_of(error))
        except ValueError:
            message = gettext_for(locale_of(request), ERROR_MESSAGES["association_not_found"])
            return self._registration(request, form, {"association_id": message}, 422)
        account_id = account_id_for(services_of(request).app, form["phone"])
        rotate_session(
            request, account_id=str(account_id), flash=[["success", said(request, "registered")]]
        )
        return Redirect("/shifts", status_code=303)

    def _registration(
        self, request: AnyRequest, form: dict[str, str], errors: dict[str, str], status: int
    ) -> Response[str]:
        form = {**form, "password": ""}  # everything typed comes back but the password
        return page(
            request,
            "register.html",
            status_code=status,
            form=form,
            errors=errors,
            associations=list_associations(services_of(request).db),
            personal=True,
            flashes=take_flashes(request),
        )

    @get("/sign-in", sync_to_thread=False)
    def sign_in_form(
        self, request: AnyRequest, back: Annotated[str | None, QueryParameter(name="next")] = None
    ) -> Response[str]:
        return page(
            request, "sign_in.html", form={}, next_path=safe_next(back, "/home"), personal=True
        )

    @post("/sign-in", sync_to_thread=True)
    def sign_in(self, request: AnyRequest, data: Form) -> Response[Any]:
        phone, back = data.get("phone", ""), safe_next(data.get("next"), "/home")
        try:
            account_id = limited_sign_in(request, phone, data.get("password", ""))
        except DomainError as error:
            headers = (
                {"Retry-After": str(error.retry_after)} if hasattr(error, "retry_after") else {}
            )
            return page(
                request,
                "sign_in.html",
                status_code=status_of(error),
                headers=headers,
                form={"phone": phone},
                error=message_of(error, locale_of(request)),
                next_path=back,
                personal=True,
            )
        rotate_session(
            request, account_id=str(account_id), flash=[["success", said(request, "signed_in")]]
        )
        return Redirect(back, status_code=303)

    @post("/sign-out", sync_to_thread=False)
    def sign_out(self, request: AnyRequest) -> Redirect:
        end_session(request)
        return Redirect("/shifts", status_code=303)

    @get("/shifts", sync_to_thread=True)
    def shifts(
        self,
        request: AnyRequest,
        governorate: FromQuery[str | None] = None,
        site: FromQuery[str | None] = None,
        day: FromQuery[str | None] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Response[str]:
        wait_for_own_write(request, VOLUNTEER_VIEWS)  # a sign-up just made shows here
        db = services_of(request).db
        filters = {"governorate": governorate or "", "site": site or "", "day": day or ""}
        volunteer = actor_of(request).volunteer_id
        rows = find_shifts(
            db,
            governorate=governorate,
            site_id=site,
            day=day,
            limit=SHIFTS_PER_PAGE + 1,
            offset=(page_number - 1) * SHIFTS_PER_PAGE,
        )
        context: dict[str, Any] = {
            "shifts": rows[:SHIFTS_PER_PAGE],
            "page_number": page_number,
            "more": len(rows) > SHIFTS_PER_PAGE,
            "mine": shift_ids_of(db, str(volunteer)) if volunteer else set(),
            "positions": positions_of(db, str(volunteer)) if volunteer else {},
            "volunteer": volunteer,
            "being_checked": being_checked(db, str(volunteer)) if volunteer else False,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
        }
        if request.headers.get("hx-target") == "shift-list":
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

    @post("/shifts/{shift_id:uuid}/sign-up", guards=[requires_volunteer])
    async def sign_up(
        self, request: AnyRequest, shift_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        volunteer_id = volunteer_of(await resolved_actor(request))
        key = data.get("idempotency_key", "")
        return await self._change(request, shift_id, data, SignUp(shift_id, volunteer_id, key))

    @post("/shifts/{shift_id:uuid}/withdraw", guards=[requires_volunteer])
    async def withdraw(
        self, request: AnyRequest, shift_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        volunteer_id = volunteer_of(await resolved_actor(request))
        return await self._change(request, shift_id, data, Withdraw(shift_id, volunteer_id))

    async def _change(
        self, request: AnyRequest, shift_id: UUID, data: Form, command: SignUp | Withdraw
    ) -> Response[Any]:
        back = safe_next(data.get("next"))
        return await answered(
            request,
            command,
            back=back,
            done=lambda result: said(request, result.outcome.value),
            fragment=lambda outcome: self._shift_card(request, shift_id, back, outcome),
        )

    def _shift_card(
        self, request: AnyRequest, shift_id: UUID, back: str, outcome: Outcome
    ) -> Response[Any]:
        row = get_shift(services_of(request).db, str(shift_id))
        if row is None:
            return Response("", status_code=200, headers={"HX-Redirect": back})
        volunteer = str(actor_of(request).volunteer_id)
        mine = shift_ids_of(services_of(request).db, volunteer) - {str(shift_id)}
        result = outcome.result
        if result is not None:
            row = {**row, "taken": result.taken}
            if result.outcome.value in ("signed_up", "already_signed_up"):
                mine = mine | {str(shift_id)}
        elif str(shift_id) in shift_ids_of(services_of(request).db, volunteer):
            mine = mine | {str(shift_id)}
        return page(
            request,
            "_shift_card.html",
            status_code=outcome.status,
            personal=True,
            shift=row,
            mine=mine,
            volunteer=volunteer,
            notice=["success" if outcome.ok else "error", outcome.notice, *(outcome.link or ())],
            query=back.partition("?")[2],
            new_key=str(uuid4()),
        )

    @get("/my-shifts", guards=[requires_volunteer], sync_to_thread=True)
    def my_shifts(self, request: AnyRequest) -> Response[Any]:
        wait_for_own_write(request, VOLUNTEER_VIEWS)
        services, volunteer_id = services_of(request), volunteer_of(actor_of(request))
        volunteer = str(volunteer_id)
        rows = shifts_of(services.db, volunteer)
        places = place_of(services.db, volunteer)
        return page(
            request,
            "my_shifts.html",
            personal=True,
            shifts=rows,
            lost=lost_shifts_of(services.db, volunteer),
            waiting=waited_shifts_of(services.db, volunteer),
            positions=positions_of(services.db, volunteer),
            mine={row["shift_id"] for row in rows},
            volunteer=volunteer,
            badge=badge_svg(services.app.fingerprints, volunteer_id) if rows else None,
            calendar_url=str(request.base_url).rstrip("/")
            + feed_path(
                services.app.fingerprints, volunteer_id, calendar_link_of(services.db, volunteer)
            ),
            places=places,
            seconds=sum(row["seconds"] or 0 for row in places),
            flashes=take_flashes(request),
            query="",
        )
