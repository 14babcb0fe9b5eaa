"""Distribution pages: the national overview (table and tile map), governorate boards, and a
distribution point's page (hand-offs, households, incoming trucks)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect

from coordination.areas.distribution.commands import HandOff, RegisterHousehold
from coordination.areas.distribution.lookups import household_id_for
from coordination.areas.packing.commands import ConfirmTruckload
from coordination.errors import DomainError
from coordination.governorates import get_governorate
from coordination.stock import Item
from projections.distribution import (
    current_round,
    handed_items,
    incoming_trucks,
    national_overview,
    points_of,
)
from projections.stadium import on_hand
from web.platform.answers import Outcome, answered, wants_fragment, wants_json
from web.platform.auth import actor_of, resolved_actor, services_of
from web.platform.errors import message_of, status_of
from web.platform.fields import count_of
from web.platform.flash import flash, take_flashes
from web.platform.guards import check_governorate, check_national, check_point, requires_sign_in
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


def round_context(db: Any) -> dict[str, Any]:
    row = current_round(db)
    return {"round": row, "round_id": row["round_id"] if row else ""}


class DistributionPages(Controller):
    path = "/governorates"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def national(self, request: AnyRequest) -> Response[str]:
        return page(request, "national.html", personal=True, **self._national(request))

    @get("/panel", sync_to_thread=True)
    def national_panel(self, request: AnyRequest) -> Response[str]:
        return page(request, "_national_panel.html", personal=True, **self._national(request))

    @get("/{code:str}", sync_to_thread=True)
    def governorate(self, request: AnyRequest, code: FromPath[str]) -> Response[str]:
        return page(request, "governorate.html", personal=True, **self._governorate(request, code))

    @get("/{code:str}/panel", sync_to_thread=True)
    def governorate_panel(self, request: AnyRequest, code: FromPath[str]) -> Response[str]:
        return page(
            request, "_governorate_panel.html", personal=True, **self._governorate(request, code)
        )

    def _national(self, request: AnyRequest) -> dict[str, Any]:
        check_national(actor_of(request))
        db = services_of(request).db
        context = round_context(db)
        rows = national_overview(db, context["round_id"]) if context["round"] else []
        target = context["round"]["target"] if context["round"] else 0
        return {**context, "rows": rows, "boxes": sum(r["boxes"] for r in rows), "target": target}

    def _governorate(self, request: AnyRequest, code: str) -> dict[str, Any]:
        governorate = get_governorate(code)
        check_governorate(actor_of(request), governorate.code)
        db = services_of(request).db
        context = round_context(db)
        overview = national_overview(db, context["round_id"]) if context["round"] else []
        mine = next((r for r in overview if r["code"] == governorate.code), {})
        meals = db.query(
            "SELECT COALESCE(SUM(served), 0) AS served FROM kitchen_days WHERE governorate = %s",
            (governorate.code,),
        )
        return {
            **context,
            "governorate": governorate,
            "totals": mine,
            "points": points_of(db, governorate.code, context["round_id"]),
            "meals": meals[0]["served"] if meals else 0,
            "live_key": f"governorate:{governorate.code}",
        }


class PointPages(Controller):
    path = "/points/{point_id:uuid}"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def point(self, request: AnyRequest, point_id: FromPath[UUID]) -> Response[str]:
        return page(
            request,
            "point.html",
            personal=True,
            flashes=take_flashes(request),
            **self._point(request, point_id),
        )

    @post("/hand-offs")
    async def hand_off(
        self, request: AnyRequest, point_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        services = services_of(request)
        await self._checked(request, point_id)
        row = await sync_to_thread(current_round, services.db)
        if not row:
            raise NotFoundException()
        try:
            household_id = household_id_for(services.app, data.get("national_id", ""))
        except DomainError as refused:  # not a family's ID: refused before any command
            return await self._refused(request, point_id, refused)
        command = HandOff(
            point_id,
            UUID(row["round_id"]),
            household_id,
            data.get("item", Item.FOOD_BOX),
            count_of(data.get("count", "1")) or 1,
            data.get("idempotency_key", "") or str(uuid4()),
        )
        return await self._answered(request, point_id, command)

    @post("/households")
    async def household(
        self, request: AnyRequest, point_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        await self._checked(request, point_id)
        command = RegisterHousehold(
            data.get("national_id", ""), count_of(data.get("size", "")), "", point_id
        )
        return await self._answered(request, point_id, command)

    @post("/truckloads/{truckload_id:uuid}/receipt")
    async def receipt(
        self,
        request: AnyRequest,
        point_id: FromPath[UUID],
        truckload_id: FromPath[UUID],
        data: Form,
    ) -> Response[Any]:
        await self._checked(request, point_id)
        command = ConfirmTruckload(truckload_id, count_of(data.get("received", "")))
        return await self._answered(request, point_id, command)

    async def _checked(self, request: AnyRequest, point_id: UUID) -> None:
        actor = await resolved_actor(request)
        await sync_to_thread(check_point, actor, services_of(request).db, point_id)

    async def _answered(self, request: AnyRequest, point_id: UUID, command: Any) -> Response[Any]:
        return await answered(
            request,
            command,
            back=f"/points/{point_id}",
            fragment=lambda outcome: self._panel(request, point_id, outcome),
        )

    async def _refused(
        self, request: AnyRequest, point_id: UUID, refused: DomainError
    ) -> Response[Any]:
        if wants_json(request):
            raise refused
        notice = message_of(refused, locale_of(request))
        if wants_fragment(request):
            outcome = Outcome(False, status_of(refused), notice)
            return await sync_to_thread(self._panel, request, point_id, outcome)
        flash(request, "error", notice)
        return Redirect(f"/points/{point_id}", status_code=303)

    def _panel(self, request: AnyRequest, point_id: UUID, outcome: Outcome) -> Response[Any]:
        return page(
            request,
            "_point_panel.html",
            status_code=outcome.status,
            personal=True,
            notice=outcome.notice,
            ok=outcome.ok,
            **self._point(request, point_id),
        )

    def _point(self, request: AnyRequest, point_id: UUID) -> dict[str, Any]:
        services = services_of(request)
        point = check_point(actor_of(request), services.db, point_id)
        context = round_context(services.db)
        return {
            **context,
            "point": point,
            "on_hand": {item.value: on_hand(services.db, str(point_id), item) for item in Item},
            "handed": handed_items(services.db, str(point_id), context["round_id"]),
            "trucks": incoming_trucks(services.db, str(point_id)),
            "items": list(Item),
            "live_key": f"point:{point_id}",
        }
