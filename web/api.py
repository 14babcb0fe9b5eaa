"""The JSON API: the same commands and read models as the pages, under /api/v1."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody

from coordination.application import SignUpResult
from coordination.governorates import GOVERNORATES
from coordination.signup import SignUpOutcome
from projections.my_shifts import shifts_of
from projections.shift_board import find_shifts
from web.i18n import gettext_for
from web.messages import OUTCOME_MESSAGES
from web.render import locale_of


@dataclass
class Registration:
    full_name: str
    phone: str
    national_id: str
    governorate: str


@dataclass
class SignUpRequest:
    volunteer_id: UUID


IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", max_length=100)]


def services(request: Request[Any, Any, Any]) -> Any:
    return request.app.state.services


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


def outcome_response(request: Request[Any, Any, Any], result: SignUpResult) -> Response[Any]:
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


class ApiV1(Controller):
    path = "/api/v1"
    tags = ["v1"]

    @get("/governorates", sync_to_thread=False)
    def governorates(self) -> list[dict[str, str]]:
        return [{"code": g.code, "name_ar": g.name_ar, "name_en": g.name_en} for g in GOVERNORATES]

    @post("/volunteers", status_code=201, sync_to_thread=True)
    def register(
        self, request: Request[Any, Any, Any], data: JSONBody[Registration]
    ) -> dict[str, str]:
        volunteer_id = services(request).app.register_volunteer(
            data.full_name, data.phone, data.national_id, data.governorate
        )
        return {"id": str(volunteer_id)}

    @get("/shifts", sync_to_thread=True)
    def shifts(
        self,
        request: Request[Any, Any, Any],
        governorate: FromQuery[str | None] = None,
        site: FromQuery[str | None] = None,
        day: FromQuery[str | None] = None,
    ) -> list[dict[str, Any]]:
        rows = find_shifts(services(request).db, governorate=governorate, site_id=site, day=day)
        return [shift_json(row) for row in rows]

    @post("/shifts/{shift_id:uuid}/sign-ups", sync_to_thread=True)
    def sign_up(
        self,
        request: Request[Any, Any, Any],
        shift_id: FromPath[UUID],
        data: JSONBody[SignUpRequest],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Any]:
        result = services(request).app.sign_up(shift_id, data.volunteer_id, idempotency_key or "")
        return outcome_response(request, result)

    @delete(
        "/shifts/{shift_id:uuid}/sign-ups/{volunteer_id:uuid}", status_code=200, sync_to_thread=True
    )
    def withdraw(
        self,
        request: Request[Any, Any, Any],
        shift_id: FromPath[UUID],
        volunteer_id: FromPath[UUID],
    ) -> Response[Any]:
        return outcome_response(request, services(request).app.withdraw(shift_id, volunteer_id))

    @get("/volunteers/{volunteer_id:uuid}/shifts", sync_to_thread=True)
    def volunteer_shifts(
        self, request: Request[Any, Any, Any], volunteer_id: FromPath[UUID]
    ) -> list[dict[str, Any]]:
        return [shift_json(row) for row in shifts_of(services(request).db, str(volunteer_id))]
