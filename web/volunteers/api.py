"""The JSON API for volunteers and desks: the same commands and read models as the pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sign_ups.commands import SignUp, SignUpResult, Withdraw
from coordination.governorates import GOVERNORATES
from coordination.signup import SignUpOutcome
from projections.my_shifts import shifts_of
from projections.shift_board import find_shifts
from projections.volunteer_directory import find_volunteer
from web.platform.auth import ACTOR, actor_of, services_of
from web.platform.csrf import csrf_token
from web.platform.guards import phone_view, requires_sign_in
from web.platform.i18n import gettext_for
from web.platform.limits import limited_sign_in, registration_limits
from web.platform.messages import OUTCOME_MESSAGES
from web.platform.render import locale_of
from web.platform.sessions import end_session, rotate_session

AnyRequest = Request[Any, Any, Any]


@dataclass
class Registration:
    full_name: str
    phone: str
    national_id: str
    governorate: str
    password: str
    association_id: UUID | None = None
    language: str = "ar"  # of their text messages: "ar" or "en"


@dataclass
class Credentials:
    phone: str
    password: str


@dataclass
class SignUpRequest:
    volunteer_id: UUID


IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", max_length=100)]


def shift_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["shift_id"],
        "site": {
            "id": row["site_id"],
            "kind": row["site_kind"],
            "name_ar": row["site_name_ar"],
            "name_en": row["site_name_en"],
        },
        "governorate": row["governorate"],
        "role": row["role"],
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "day": row["day"],
        "capacity": row["capacity"],
        "taken": row["taken"],
        "free": max(row["capacity"] - row["taken"], 0),
    }


def outcome_response(request: AnyRequest, result: SignUpResult) -> Response[Any]:
    locale = locale_of(request)
    created = result.outcome is SignUpOutcome.SIGNED_UP
    return Response(
        {
            "outcome": result.outcome.value,
            "message": gettext_for(locale, OUTCOME_MESSAGES[result.outcome.value]),
            "shift_id": str(result.shift_id),
            "volunteer_id": str(result.volunteer_id),
            "taken": result.taken,
            "capacity": result.capacity,
        },
        status_code=201 if created else 200,
        headers={"Content-Language": locale},
    )


def visible_volunteer(request: AnyRequest, volunteer_id: UUID) -> dict[str, Any]:
    services = services_of(request)
    volunteer = find_volunteer(services.db, services.sealer, str(volunteer_id))
    if volunteer is None:
        raise NotFoundException()
    phone = phone_view(actor_of(request), volunteer, services.db)
    if phone is None:
        raise PermissionDeniedException()
    return {**volunteer, "phone": phone}


def session_info(request: AnyRequest) -> dict[str, Any]:
    """The CSRF token for this session, and who is signed in."""
    actor = actor_of(request)
    return {
        "csrf_token": csrf_token(request),
        "account_id": str(actor.account_id) if actor.account_id else None,
        "volunteer_id": str(actor.volunteer_id) if actor.volunteer_id else None,
        "roles": sorted(f"{g.role.value}:{g.scope}".rstrip(":") for g in actor.grants),
    }


class ApiV1(Controller):
    path = "/api/v1"
    cache_control = CacheControlHeader(no_store=True)
    tags = ["v1"]

    @get("/governorates", sync_to_thread=False)
    def governorates(self) -> list[dict[str, str]]:
        return [{"code": g.code, "name_ar": g.name_ar, "name_en": g.name_en} for g in GOVERNORATES]

    @get("/session", sync_to_thread=False)
    def session(self, request: AnyRequest) -> dict[str, Any]:
        return session_info(request)

    @post("/session", status_code=200, sync_to_thread=True)
    def sign_in(self, request: AnyRequest, data: JSONBody[Credentials]) -> dict[str, Any]:
        """Signs in with a new session id; the answer carries the new CSRF token."""
        account_id = limited_sign_in(request, data.phone, data.password)
        rotate_session(request, account_id=str(account_id))
        scope: Any = request.scope  # Litestar's Scope types only the keys the ASGI spec names
        scope.pop(ACTOR, None)  # who asks is read again, now as the signed-in account
        return session_info(request)

    @delete("/session", status_code=200, sync_to_thread=False)
    def sign_out(self, request: AnyRequest) -> dict[str, str]:
        end_session(request)
        return {"status": "signed_out"}

    @post("/volunteers", status_code=201, sync_to_thread=True)
    def register(self, request: AnyRequest, data: JSONBody[Registration]) -> dict[str, str]:
        with registration_limits(request, data.phone):
            volunteer_id = services_of(request).dispatcher.run(
                RegisterVolunteer(
                    data.full_name,
                    data.phone,
                    data.national_id,
                    data.governorate,
                    data.password,
                    data.association_id,
                    data.language,
                )
            )
        return {"id": str(volunteer_id)}

    @get("/volunteers/{volunteer_id:uuid}", guards=[requires_sign_in], sync_to_thread=True)
    def volunteer(self, request: AnyRequest, volunteer_id: FromPath[UUID]) -> dict[str, Any]:
        return visible_volunteer(request, volunteer_id)

    @get("/volunteers/{volunteer_id:uuid}/shifts", guards=[requires_sign_in], sync_to_thread=True)
    def volunteer_shifts(
        self, request: AnyRequest, volunteer_id: FromPath[UUID]
    ) -> list[dict[str, Any]]:
        visible_volunteer(request, volunteer_id)
        return [shift_json(r) for r in shifts_of(services_of(request).db, str(volunteer_id))]

    @get("/shifts", sync_to_thread=True)
    def shifts(
        self,
        request: AnyRequest,
        governorate: FromQuery[str | None] = None,
        site: FromQuery[str | None] = None,
        day: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 200,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> list[dict[str, Any]]:
        rows = find_shifts(
            services_of(request).db,
            governorate=governorate,
            site_id=site,
            day=day,
            limit=limit,
            offset=offset,
        )
        return [shift_json(row) for row in rows]

    @post("/shifts/{shift_id:uuid}/sign-ups", guards=[requires_sign_in])
    async def sign_up(
        self,
        request: AnyRequest,
        shift_id: FromPath[UUID],
        data: JSONBody[SignUpRequest],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Any]:
        command = SignUp(shift_id, data.volunteer_id, idempotency_key or "")
        result = await services_of(request).dispatcher.dispatch(command, actor_of(request))
        return outcome_response(request, result)

    @delete(
        "/shifts/{shift_id:uuid}/sign-ups/{volunteer_id:uuid}",
        status_code=200,
        guards=[requires_sign_in],
    )
    async def withdraw(
        self, request: AnyRequest, shift_id: FromPath[UUID], volunteer_id: FromPath[UUID]
    ) -> Response[Any]:
        command = Withdraw(shift_id, volunteer_id)
        result = await services_of(request).dispatcher.dispatch(command, actor_of(request))
        return outcome_response(request, result)
