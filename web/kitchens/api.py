"""The JSON API for kitchen leads' phones: settings, batches cooked, served, discarded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, JSONBody

from coordination.areas.kitchens.commands import (
    BatchState,
    ConfigureKitchen,
    LogCooked,
    LogDiscarded,
    LogServed,
    ReverseEntry,
)
from projections.kitchen_dashboard import batches_of, kitchen_day
from web.platform.answers import decided
from web.platform.auth import actor_of, services_of
from web.platform.fields import IdempotencyKey as Key
from web.platform.fields import today
from web.platform.guards import check_kitchen, requires_sign_in

AnyRequest = Request[Any, Any, Any]


@dataclass
class KitchenSettings:
    daily_meal_target: int
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class Cooked:
    dish: str
    count: int
    cooked_at: datetime | None = None


@dataclass
class Served:
    count: int
    how: str = "on_site"
    point_id: UUID | None = None
    served_at: datetime | None = None


@dataclass
class Discarded:
    count: int
    reason: str


@dataclass
class Reversal:
    entry_key: str
    reason: str | None = None


def answer(state: BatchState) -> Response[dict[str, Any]]:
    return Response(
        {
            "batch_id": str(state.batch_id),
            "recorded": state.recorded,
            "cooked": state.cooked,
            "left": state.left,
        },
        status_code=201 if state.recorded else 200,
    )


class KitchenApi(Controller):
    path = "/api/v1"
    tags = ["kitchens"]
    guards = [requires_sign_in]
    cache_control = CacheControlHeader(no_store=True)

    @post("/kitchens/{kitchen_id:uuid}/settings", status_code=200)
    async def configure(
        self, request: AnyRequest, kitchen_id: FromPath[UUID], data: JSONBody[KitchenSettings]
    ) -> dict[str, str]:
        await decided(
            request,
            ConfigureKitchen(kitchen_id, data.daily_meal_target, data.latitude, data.longitude),
        )
        return {"status": "configured"}

    @get("/kitchens/{kitchen_id:uuid}/today", sync_to_thread=True)
    def today(self, request: AnyRequest, kitchen_id: FromPath[UUID]) -> dict[str, Any]:
        db = services_of(request).db
        kitchen = check_kitchen(actor_of(request), db, kitchen_id)
        day = today()
        return {
            "kitchen": kitchen,
            "day": day,
            "totals": kitchen_day(db, str(kitchen_id), day),
            "batches": batches_of(db, str(kitchen_id), day),
        }

    @post("/kitchens/{kitchen_id:uuid}/batches")
    async def cooked(
        self,
        request: AnyRequest,
        kitchen_id: FromPath[UUID],
        data: JSONBody[Cooked],
        idempotency_key: Key,
    ) -> Response[dict[str, Any]]:
        return answer(
            await decided(
                request,
                LogCooked(kitchen_id, data.dish, data.count, idempotency_key, data.cooked_at),
            )
        )

    @post("/batches/{batch_id:uuid}/served")
    async def served(
        self,
        request: AnyRequest,
        batch_id: FromPath[UUID],
        data: JSONBody[Served],
        idempotency_key: Key,
    ) -> Response[dict[str, Any]]:
        return answer(
            await decided(
                request,
                LogServed(
                    batch_id,
                    data.count,
                    data.how,
                    idempotency_key,
                    data.point_id,
                    data.served_at,
                ),
            )
        )

    @post("/batches/{batch_id:uuid}/discarded")
    async def discarded(
        self,
        request: AnyRequest,
        batch_id: FromPath[UUID],
        data: JSONBody[Discarded],
        idempotency_key: Key,
    ) -> Response[dict[str, Any]]:
        return answer(
            await decided(request, LogDiscarded(batch_id, data.count, data.reason, idempotency_key))
        )

    @post("/batches/{batch_id:uuid}/reversals")
    async def reversal(
        self,
        request: AnyRequest,
        batch_id: FromPath[UUID],
        data: JSONBody[Reversal],
        idempotency_key: Key,
    ) -> Response[dict[str, Any]]:
        return answer(
            await decided(
                request, ReverseEntry(batch_id, data.entry_key, idempotency_key, data.reason)
            )
        )
