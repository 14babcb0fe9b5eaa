"""The JSON API of distribution: rounds, households, items in, hand-offs singly or in batches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, JSONBody

from coordination.areas.distribution.commands import (
    HandOff,
    HandOffItems,
    HandOffResult,
    OpenRound,
    RegisterHousehold,
    TakeIn,
)
from coordination.areas.distribution.lookups import household_id_for
from coordination.errors import DomainError
from projections.distribution import current_round, national_overview
from web.platform.answers import decided
from web.platform.auth import actor_of, resolved_actor, services_of
from web.platform.errors import message_of
from web.platform.fields import IdempotencyKey as Key
from web.platform.guards import check_national, check_point, requires_sign_in
from web.platform.render import locale_of

AnyRequest = Request[Any, Any, Any]


@dataclass
class NewRound:
    slug: str
    name_ar: str
    name_en: str
    target: int = 4_000_000
    allowances: dict[str, int] = field(default_factory=dict)


@dataclass
class NewHousehold:
    national_id: str
    size: int


@dataclass
class ItemsIn:
    item: str
    count: int


@dataclass
class Given:
    national_id: str
    item: str = "food_box"
    count: int = 1
    key: str = ""
    at: datetime | None = None
    volunteer_id: UUID | None = None


@dataclass
class Upload:
    items: list[Given]
    round_id: UUID | None = None


def round_of(request: AnyRequest, round_id: UUID | None) -> UUID:
    if round_id is not None:
        return round_id
    row = current_round(services_of(request).db)
    if row is None:
        raise NotFoundException("no campaign round is open")
    return UUID(row["round_id"])


def result_json(result: HandOffResult) -> dict[str, Any]:
    return {
        "household_id": str(result.household_id),
        "recorded": result.recorded,
        "taken": result.taken,
        "allowance": result.allowance,
        "on_hand": result.on_hand,
    }


class DistributionApi(Controller):
    path = "/api/v1"
    tags = ["distribution"]
    guards = [requires_sign_in]
    cache_control = CacheControlHeader(no_store=True)

    @post("/rounds", status_code=201)
    async def open_round(self, request: AnyRequest, data: JSONBody[NewRound]) -> dict[str, str]:
        round_id = await decided(
            request,
            OpenRound(data.slug, data.name_ar, data.name_en, data.target, data.allowances),
        )
        return {"round_id": str(round_id)}

    @post("/points/{point_id:uuid}/households")
    async def register(
        self, request: AnyRequest, point_id: FromPath[UUID], data: JSONBody[NewHousehold]
    ) -> Response[dict[str, Any]]:
        household_id, created = await decided(
            request, RegisterHousehold(data.national_id, data.size, "", point_id)
        )
        return Response(
            {"household_id": str(household_id), "created": created},
            status_code=201 if created else 200,
        )

    @post("/sites/{site_id:uuid}/items-in", status_code=200)
    async def items_in(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[ItemsIn], key: Key
    ) -> dict[str, Any]:
        on_hand = await decided(request, TakeIn(site_id, data.item, data.count, key))
        return {"item": data.item, "on_hand": on_hand}

    @post("/points/{point_id:uuid}/hand-offs")
    async def hand_off(
        self, request: AnyRequest, point_id: FromPath[UUID], data: JSONBody[Given], key: Key
    ) -> Response[dict[str, Any]]:
        services, actor = services_of(request), await resolved_actor(request)
        command = HandOff(
            point_id,
            await sync_to_thread(round_of, request, None),
            household_id_for(services.app, data.national_id),
            data.item,
            data.count,
            key,
            data.at,
            data.volunteer_id or actor.volunteer_id,
        )
        result: HandOffResult = await services.dispatcher.dispatch(command, actor)
        return Response(result_json(result), status_code=201 if result.recorded else 200)

    @post("/points/{point_id:uuid}/hand-offs/batch", status_code=200)
    async def upload(
        self, request: AnyRequest, point_id: FromPath[UUID], data: JSONBody[Upload]
    ) -> dict[str, Any]:
        """Up to 500 hand-offs from an offline device: each accepted or refused on its own."""
        services, locale = services_of(request), locale_of(request)
        actor = await resolved_actor(request)
        await sync_to_thread(check_point, actor, services.db, point_id)
        round_id = await sync_to_thread(round_of, request, data.round_id)
        answers = await services.dispatcher.dispatch(
            HandOffItems(point_id, round_id, data.items), actor
        )
        results = []
        for index, answer in answers:
            if isinstance(answer, DomainError):
                refusal = {"code": answer.code, "message": message_of(answer, locale)}
                results.append({"index": index, "status": "refused", **refusal})
            else:
                status = "recorded" if answer.recorded else "already_recorded"
                results.append({"index": index, "status": status, **result_json(answer)})
        counts = {
            s: sum(r["status"] == s for r in results)
            for s in ("recorded", "already_recorded", "refused")
        }
        return {"counts": counts, "results": results}

    @get("/governorates/overview", sync_to_thread=True)
    def overview(self, request: AnyRequest) -> dict[str, Any]:
        check_national(actor_of(request))
        db = services_of(request).db
        row = current_round(db)
        rows = national_overview(db, row["round_id"]) if row else []
        return {"round": row, "governorates": rows}
