"""The JSON API of packing days: desks and scanners, line leads' phones, dispatch and receipt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, JSONBody

from coordination.areas.attendance.commands import AssignPlace, AttendanceState, CheckIn, CheckOut
from coordination.areas.packing.commands import (
    AddLine,
    ConfigurePacking,
    ConfirmTruckload,
    DispatchTruck,
    LogBoxes,
    ReverseBoxes,
    StockState,
    TruckState,
)
from web.packing.scan_batch import ScanUpload, decided_scans, scan_result
from web.packing.views import board_of, today
from web.platform.answers import decided
from web.platform.auth import actor_of, resolved_actor, services_of
from web.platform.errors import message_of
from web.platform.fields import IdempotencyKey as Key
from web.platform.guards import check_desk_site, check_packing_site, requires_sign_in
from web.platform.render import locale_of

AnyRequest = Request[Any, Any, Any]


@dataclass
class Arrival:
    badge: str = ""
    phone: str = ""
    volunteer_id: UUID | None = None
    shift_id: UUID | None = None
    walk_in: bool = False
    desk: str = ""
    at: datetime | None = None  # when an offline desk scanned it, by its own clock


@dataclass
class PackingSettings:
    daily_box_target: int
    box_template: dict[str, int] = field(default_factory=dict)


@dataclass
class Line:
    name: str
    zone: str
    hourly_target: int


@dataclass
class Boxes:
    line_id: UUID
    count: int
    shift_id: UUID | None = None


@dataclass
class Reversal:
    entry_key: str
    reason: str | None = None


@dataclass
class Dispatch:
    point_id: UUID
    count: int
    label: str = ""
    item: str = "food_box"


@dataclass
class Receipt:
    received: int


@dataclass
class Place:
    volunteer_id: UUID
    position: str
    zone: str = ""
    line_id: UUID | None = None


def timestamp(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def attendance_answer(state: AttendanceState, names: bool = True) -> Response[dict[str, Any]]:
    """The scan's outcome; ``names`` False keeps the volunteer's id out of it."""
    ids = {"attendance_id": state.attendance_id, "shift_id": state.shift_id}
    if names:
        ids["volunteer_id"] = state.volunteer_id
    body = {
        **{k: str(v) for k, v in ids.items()},
        "recorded": state.recorded,
        "walk_in": state.walk_in,
        "checked_in_at": timestamp(state.checked_in_at),
        "checked_out_at": timestamp(state.checked_out_at),
    }
    return Response(body, status_code=201 if state.recorded else 200)


def stock_answer(state: StockState) -> Response[dict[str, Any]]:
    return Response(
        {"site_id": str(state.site_id), "recorded": state.recorded, "on_hand": state.on_hand},
        status_code=201 if state.recorded else 200,
    )


def truck_answer(state: TruckState) -> Response[dict[str, Any]]:
    return Response(
        {
            "truckload_id": str(state.truckload_id),
            "recorded": state.recorded,
            "count": state.count,
            "received": state.received,
            "on_hand": state.on_hand,
        },
        status_code=201 if state.recorded else 200,
    )


async def scan(
    request: AnyRequest, site_id: UUID, data: Arrival, key: str, *, arriving: bool
) -> Response[dict[str, Any]]:
    """A desk's scan: the volunteer checked in (walk-in if asked) or out."""
    named = {"badge": data.badge, "phone": data.phone, "desk": data.desk}
    command: CheckIn | CheckOut = (
        CheckIn(site_id, data.volunteer_id, key, data.shift_id, data.walk_in, **named, at=data.at)
        if arriving
        else CheckOut(site_id, data.volunteer_id, key, data.shift_id, **named, at=data.at)
    )
    state = await decided(request, command)
    # a desk that named someone by badge or phone learns no id it did not have (issue 20)
    device = (await resolved_actor(request)).device_site_id is not None
    return attendance_answer(state, names=data.volunteer_id is not None or not device)


class PackingApi(Controller):
    path = "/api/v1"
    tags = ["packing"]
    guards = [requires_sign_in]
    cache_control = CacheControlHeader(no_store=True)

    @post("/sites/{site_id:uuid}/check-ins")
    async def check_in(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[Arrival], key: Key
    ) -> Response[dict[str, Any]]:
        return await scan(request, site_id, data, key, arriving=True)

    @post("/sites/{site_id:uuid}/check-outs")
    async def check_out(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[Arrival], key: Key
    ) -> Response[dict[str, Any]]:
        return await scan(request, site_id, data, key, arriving=False)

    @post("/sites/{site_id:uuid}/scans/batch", status_code=200)
    async def scans(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[ScanUpload]
    ) -> dict[str, Any]:
        """Up to 500 scans from an offline desk, each with its own key: recorded, already
        recorded (a repeated scan or a re-sent one) or refused with its reason."""
        services, locale = services_of(request), locale_of(request)
        actor = await resolved_actor(request)
        await sync_to_thread(check_desk_site, actor, services.db, site_id)
        answers = await decided_scans(services.dispatcher, actor, site_id, data.items)
        results = [scan_result(i, a, lambda e: message_of(e, locale)) for i, a in answers]
        counts = {
            s: sum(r["status"] == s for r in results)
            for s in ("recorded", "already_recorded", "refused")
        }
        return {"counts": counts, "results": results}

    @post("/sites/{site_id:uuid}/packing", status_code=200)
    async def configure(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[PackingSettings]
    ) -> dict[str, str]:
        await decided(request, ConfigurePacking(site_id, data.daily_box_target, data.box_template))
        return {"site_id": str(site_id)}

    @post("/sites/{site_id:uuid}/lines", status_code=201)
    async def add_line(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[Line]
    ) -> dict[str, str]:
        line_id = await decided(request, AddLine(site_id, data.name, data.zone, data.hourly_target))
        return {"line_id": str(line_id)}

    @post("/sites/{site_id:uuid}/boxes")
    async def log_boxes(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[Boxes], key: Key
    ) -> Response[dict[str, Any]]:
        state = await decided(
            request, LogBoxes(site_id, data.line_id, data.count, key, data.shift_id)
        )
        return stock_answer(state)

    @post("/sites/{site_id:uuid}/boxes/reversals")
    async def reverse_boxes(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[Reversal], key: Key
    ) -> Response[dict[str, Any]]:
        state = await decided(request, ReverseBoxes(site_id, data.entry_key, key, data.reason))
        return stock_answer(state)

    @post("/sites/{site_id:uuid}/dispatches")
    async def dispatch(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[Dispatch], key: Key
    ) -> Response[dict[str, Any]]:
        state = await decided(
            request, DispatchTruck(site_id, data.point_id, data.count, key, data.label, data.item)
        )
        return truck_answer(state)

    @post("/truckloads/{truckload_id:uuid}/receipt")
    async def receipt(
        self, request: AnyRequest, truckload_id: FromPath[UUID], data: JSONBody[Receipt], key: Key
    ) -> Response[dict[str, Any]]:
        state = await decided(request, ConfirmTruckload(truckload_id, data.received, key))
        return truck_answer(state)

    @post("/shifts/{shift_id:uuid}/places", status_code=200)
    async def place(
        self, request: AnyRequest, shift_id: FromPath[UUID], data: JSONBody[Place]
    ) -> dict[str, Any]:
        moved = await decided(
            request,
            AssignPlace(shift_id, data.volunteer_id, data.zone, data.position, data.line_id),
        )
        return {"moved": moved}

    @get("/sites/{site_id:uuid}/board", sync_to_thread=True)
    def board(self, request: AnyRequest, site_id: FromPath[UUID]) -> dict[str, Any]:
        services = services_of(request)
        site = check_packing_site(actor_of(request), services.db, site_id)
        seen = board_of(services.db, site, today())
        return {
            "site_id": str(site_id),
            "day": seen["day"],
            "packed": seen["packed"],
            "target": seen["target"],
            "on_hand": seen["on_hand"],
            "estimated_finish": timestamp(seen["finish"]),
            "lines": seen["lines"],
            "zones": seen["zones"],
            "short_shifts": seen["short_shifts"],
            "trucks": seen["trucks"],
        }
