"""Distribution pages: the national overview (table and tile map), governorate boards, and a
distribution point's page (hand-offs, households, incoming trucks)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect

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
from web.platform.auth import actor_of, services_of
from web.platform.errors import message_of, status_of
from web.platform.fields import count_of
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
        return page(request, "point.html", personal=True, **self._point(request, point_id))

    @post("/hand-offs", sync_to_thread=True)
    def hand_off(self, request: AnyRequest, point_id: FromPath[UUID], data: Form) -> Response[Any]:
        def give(app: Any, actor: Any, context: dict[str, Any]) -> Any:
            if not context["round"]:
                raise NotFoundException()
            return app.hand_off(
                actor,
                point_id,
                UUID(context["round_id"]),
                app.household_id_for(data.get("national_id", "")),
                data.get("item", Item.FOOD_BOX),
                count_of(data.get("count", "1")) or 1,
                data.get("idempotency_key", "") or str(uuid4()),
            )

        return self._command(request, point_id, give)

    @post("/households", sync_to_thread=True)
    def household(self, request: AnyRequest, point_id: FromPath[UUID], data: Form) -> Response[Any]:
        return self._command(
            request,
            point_id,
            lambda app, actor, _: app.register_household(
                actor, data.get("national_id", ""), count_of(data.get("size", "")), "", point_id
            ),
        )

    @post("/truckloads/{truckload_id:uuid}/receipt", sync_to_thread=True)
    def receipt(
        self,
        request: AnyRequest,
        point_id: FromPath[UUID],
        truckload_id: FromPath[UUID],
        data: Form,
    ) -> Response[Any]:
        return self._command(
            request,
            point_id,
            lambda app, actor, _: app.confirm_truckload(
                actor, truckload_id, count_of(data.get("received", ""))
            ),
        )

    def _command(self, request: AnyRequest, point_id: UUID, command: Any) -> Response[Any]:
        services, status, notice, ok = services_of(request), 200, None, True
        context = self._point(request, point_id)
        try:
            command(services.app, actor_of(request), context)
        except DomainError as error:
            status, notice, ok = status_of(error), message_of(error, locale_of(request)), False
        if not request.headers.get("hx-request"):
            return Redirect(f"/points/{point_id}", status_code=303)
        if services.settings.embedded_projections:
            services.runner.catch_up()
        return page(
            request,
            "_point_panel.html",
            status_code=status,
            personal=True,
            notice=notice,
            ok=ok,
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
