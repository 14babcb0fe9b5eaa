"""Packing-site pages: the live stadium board, its big-screen mode and time travel, and the
site's console (targets, lines, places, boxes, trucks)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery

from coordination.areas.attendance.commands import AssignPlace
from coordination.areas.packing.commands import (
    AddLine,
    ConfigurePacking,
    DispatchTruck,
    LogBoxes,
    ReverseBoxes,
)
from coordination.attendance import Position
from coordination.site import SiteKind
from projections.shift_board import list_sites
from projections.stadium import packing_sites, shifts_of_site
from web.packing.console_lists import console_lists
from web.packing.views import board_at, board_of, moment_of, today, who_is
from web.platform.answers import Outcome, answered
from web.platform.auth import actor_of, services_of
from web.platform.fields import count_of, point_of
from web.platform.guards import check_packing_site, requires_sign_in, room_staff
from web.platform.limits import limited_replay
from web.platform.render import page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


def template_of(text: str) -> dict[str, int]:
    """``rice (kg): 2`` per line into the box template; malformed lines are refused."""
    template = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, quantity = line.rpartition(":")
        template[name.strip()] = count_of(quantity.strip()) or -1
    return template


class PackingPages(Controller):
    path = "/packing"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def index(self, request: AnyRequest) -> Response[str]:
        actor = actor_of(request)
        sites = [
            site
            for site in packing_sites(services_of(request).db)
            if room_staff(actor) or actor.manages_site(UUID(site["site_id"]), site["governorate"])
        ]
        return page(request, "packing_index.html", personal=True, sites=sites)

    @get("/{site_id:uuid}", sync_to_thread=True)
    def board(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        return page(request, "packing_board.html", personal=True, **self._board(request, site_id))

    @get("/{site_id:uuid}/panel", sync_to_thread=True)
    def panel(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        return page(
            request, "_packing_board_panel.html", personal=True, **self._board(request, site_id)
        )

    @get("/{site_id:uuid}/tv", sync_to_thread=True)
    def tv(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        """The wall display: its own full-screen page, without the site's header."""
        return page(
            request,
            "packing_tv.html",
            personal=True,
            now=datetime.now(UTC),
            **self._board(request, site_id),
        )

    @get("/{site_id:uuid}/tv/panel", sync_to_thread=True)
    def tv_panel(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        return page(
            request, "_packing_tv_panel.html", personal=True, **self._board(request, site_id)
        )

    @get("/{site_id:uuid}/at", sync_to_thread=True)
    def as_it_was(
        self, request: AnyRequest, site_id: FromPath[UUID], time: FromQuery[str] = ""
    ) -> Response[str]:
        services = services_of(request)
        site = check_packing_site(actor_of(request), services.db, site_id)
        day = today()
        moment = moment_of(day, time)
        limited_replay(request)
        return page(
            request,
            "packing_board_at.html",
            personal=True,
            moment=moment,
            **board_at(services.app, services.db, site, day, moment),
        )

    @get("/{site_id:uuid}/console", sync_to_thread=True)
    def console(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        return page(
            request, "packing_console.html", personal=True, **self._console(request, site_id)
        )

    @post("/{site_id:uuid}/settings")
    async def settings(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        target = count_of(data.get("daily_box_target", ""))
        template = template_of(data.get("box_template", ""))
        return await self._answered(request, site_id, ConfigurePacking(site_id, target, template))

    @post("/{site_id:uuid}/lines")
    async def add_line(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        line = AddLine(
            site_id,
            data.get("name", ""),
            data.get("zone", ""),
            count_of(data.get("hourly_target", "")),
        )
        return await self._answered(request, site_id, line)

    @post("/{site_id:uuid}/places")
    async def place(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        place = AssignPlace(
            point_of(data.get("shift_id", "")) or uuid4(),
            None,
            data.get("zone", ""),
            data.get("position", ""),
            point_of(data.get("line_id", "")),
            **who_is(data.get("who", "")),
        )
        return await self._answered(request, site_id, place)

    @post("/{site_id:uuid}/dispatches")
    async def dispatch(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        truck = DispatchTruck(
            site_id,
            point_of(data.get("point_id", "")) or uuid4(),
            count_of(data.get("count", "")),
            data.get("idempotency_key", "") or str(uuid4()),
            data.get("label", ""),
        )
        return await self._answered(request, site_id, truck)

    @post("/{site_id:uuid}/boxes")
    async def log_boxes(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        boxes = LogBoxes(
            site_id,
            point_of(data.get("line_id", "")) or uuid4(),
            count_of(data.get("count", "")),
            data.get("idempotency_key", "") or str(uuid4()),
        )
        return await self._answered(request, site_id, boxes)

    @post("/{site_id:uuid}/boxes/reversals")
    async def correct_boxes(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        """A batch from the console's list taken back, with the reason given."""
        correction = ReverseBoxes(
            site_id,
            data.get("entry_key", ""),
            data.get("idempotency_key", "") or str(uuid4()),
            data.get("reason", ""),
        )
        return await self._answered(request, site_id, correction)

    def _board(self, request: AnyRequest, site_id: UUID) -> dict[str, Any]:
        services = services_of(request)
        site = check_packing_site(actor_of(request), services.db, site_id)
        return {**board_of(services.db, site, today()), "live_key": f"packing:{site_id}"}

    def _console(self, request: AnyRequest, site_id: UUID) -> dict[str, Any]:
        services = services_of(request)
        site = check_packing_site(actor_of(request), services.db, site_id)
        day = today()
        return {
            **board_of(services.db, site, day),
            "shifts": shifts_of_site(services.db, str(site_id), day),
            **console_lists(services, str(site_id), day),
            "positions": list(Position),
            "points": [
                s for s in list_sites(services.db) if s["kind"] == SiteKind.DISTRIBUTION_POINT
            ],
            "template_text": "\n".join(
                f"{name}: {quantity}" for name, quantity in site["box_template"].items()
            ),
        }

    async def _answered(self, request: AnyRequest, site_id: UUID, command: Any) -> Response[Any]:
        """The console's command, answered with the console (htmx) or back on its page."""
        services = services_of(request)
        await sync_to_thread(check_packing_site, actor_of(request), services.db, site_id)

        def console(outcome: Outcome) -> Response[Any]:
            return page(
                request,
                "_packing_console.html",
                status_code=outcome.status,
                personal=True,
                notice=outcome.notice,
                ok=outcome.ok,
                **self._console(request, site_id),
            )

        return await answered(
            request, command, back=f"/packing/{site_id}/console", fragment=console
        )
