"""The line lead's phone: today's count for the line, one tap per batch of boxes, and the
line's recent batches, each taken back with a reason when it was logged wrong."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from coordination.areas.packing.commands import LogBoxes, ReverseBoxes
from projections.stadium import box_batches_of, find_packing_site
from web.packing.views import board_of, today
from web.platform.answers import Outcome, answered
from web.platform.auth import actor_of, services_of
from web.platform.fields import count_of
from web.platform.guards import check_line, requires_sign_in
from web.platform.render import page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]
BATCH_SIZES = (10, 20, 25, 50)
RECENT_BATCHES = 10


class LinePages(Controller):
    path = "/packing/{site_id:uuid}/lines/{line_id:uuid}"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def line(
        self, request: AnyRequest, site_id: FromPath[UUID], line_id: FromPath[UUID]
    ) -> Response[str]:
        return page(
            request, "packing_line.html", personal=True, **self._line(request, site_id, line_id)
        )

    @post("/boxes")
    async def log(
        self, request: AnyRequest, site_id: FromPath[UUID], line_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        shift = await self._shift(request, site_id, line_id)
        boxes = LogBoxes(
            site_id,
            line_id,
            count_of(data.get("count", "")),
            data.get("idempotency_key", "") or str(uuid4()),
            shift,
        )
        return await self._answered(request, site_id, line_id, boxes, 201)

    @post("/boxes/reversals")
    async def correct(
        self, request: AnyRequest, site_id: FromPath[UUID], line_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        """One of the line's batches taken back, with the reason the lead gives."""
        shift = await self._shift(request, site_id, line_id)
        correction = ReverseBoxes(
            site_id,
            data.get("entry_key", ""),
            data.get("idempotency_key", "") or str(uuid4()),
            data.get("reason", ""),
            shift,
        )
        return await self._answered(request, site_id, line_id, correction, 200)

    async def _shift(self, request: AnyRequest, site_id: UUID, line_id: UUID) -> UUID | None:
        """The shift the asking lead leads the line on (None for the site's staff)."""
        services = services_of(request)
        _, shift = await sync_to_thread(
            check_line, actor_of(request), services.db, site_id, line_id
        )
        return UUID(shift) if shift else None

    async def _answered(
        self, request: AnyRequest, site_id: UUID, line_id: UUID, command: Any, done: int
    ) -> Response[Any]:
        """The line's panel again (htmx), or back on the line's page with the notice."""

        def panel(outcome: Outcome) -> Response[Any]:
            return page(
                request,
                "_line_log.html",
                status_code=done if outcome.ok else outcome.status,
                personal=True,
                notice=outcome.notice,
                logged=outcome.ok and isinstance(command, LogBoxes),
                corrected=outcome.ok and isinstance(command, ReverseBoxes),
                **self._line(request, site_id, line_id),
            )

        back = f"/packing/{site_id}/lines/{line_id}"
        return await answered(request, command, back=back, fragment=panel)

    def _line(self, request: AnyRequest, site_id: UUID, line_id: UUID) -> dict[str, Any]:
        services = services_of(request)
        line, _ = check_line(actor_of(request), services.db, site_id, line_id)
        site = find_packing_site(services.db, str(site_id))
        seen = board_of(services.db, site, today()) if site else {"lines": []}
        counted = next((row for row in seen["lines"] if row["line_id"] == line["line_id"]), line)
        batches = [
            row
            for row in box_batches_of(services.db, str(site_id), today())
            if row["line_id"] == line["line_id"]
        ]
        return {
            "site": site,
            "line": counted,
            "sizes": BATCH_SIZES,
            "batches": batches[:RECENT_BATCHES],
        }
