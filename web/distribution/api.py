"""The JSON API of distribution: rounds, households, items in, hand-offs singly or in batches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, HeaderParameter, JSONBody

from coordination.commands.distribution import HandOffResult, hand_off_items
from coordination.errors import DomainError
from projections.distribution import current_round, national_overview
from web.platform.auth import actor_of, services_of
from web.platform.errors import message_of
from web.platform.guards import check_national, check_point, requires_sign_in
from web.platform.render import locale_of

AnyRequest = Request[Any, Any, Any]
Key = Annotated[str, HeaderParameter(name="Idempotency-Key", min_length=1, max_length=100)]


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

    @post("/rounds", status_code=201, sync_to_thread=True)
    def open_round(self, request: AnyRequest, data: JSONBody[NewRound]) -> dict[str, str]:
        round_id = services_of(request).app.open_round(
            actor_of(request), data.slug, data.name_ar, data.name_en, data.target, data.allowances
        )
        return {"round_id": str(round_id)}

    @post("/points/{point_id:uuid}/households", sync_to_thread=True)
    def register(
        self, request: AnyRequest, point_id: FromPath[UUID], data: JSONBody[NewHousehold]
    ) -> Response[dict[str, Any]]:
        household_id, created = services_of(request).app.register_household(
            actor_of(request), data.national_id, data.size, "", point_id
        )
        return Response(
            {"household_id": str(household_id), "created": created},
            status_code=201 if created else 200,
        )

    @post("/sites/{site_id:uuid}/items-in", status_code=200, sync_to_thread=True)
    def items_in(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[ItemsIn], key: Key
    ) -> dict[str, Any]:
        on_hand = services_of(request).app.take_in(
            actor_of(request), site_id, data.item, data.count, key
        )
        return {"item": data.item, "on_hand": on_hand}

    @post("/points/{point_id:uuid}/hand-offs", sync_to_thread=True)
    def hand_off(
        self, request: AnyRequest, point_id: FromPath[UUID], data: JSONBody[Given], key: Key
    ) -> Response[dict[str, Any]]:
        app = services_of(request).app
        result = app.hand_off(
            actor_of(request),
            point_id,
            round_of(request, None),
            app.household_id_for(data.national_id),
            data.item,
            data.count,
            key,
            data.at,
            data.volunteer_id or actor_of(request).volunteer_id,
        )
        return Response(result_json(result), status_code=201 if result.recorded else 200)

    @post("/points/{point_id:uuid}/hand-offs/batch", status_code=200, sync_to_thread=True)
    def upload(
        self, request: AnyRequest, point_id: FromPath[UUID], data: JSONBody[Upload]
    ) -> dict[str, Any]:
        """Up to 500 hand-offs from an offline device: each accepted or refused on its own."""
        services, locale = services_of(request), locale_of(request)
        check_point(actor_of(request), services.db, point_id)
        answers = hand_off_items(
            services.app,
            actor_of(request),
            point_id,
            round_of(request, data.round_id),
            data.items,
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
