"""The line lead's phone: today's count for the line and one tap per batch of boxes."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from coordination.areas.packing.commands import LogBoxes
from projections.stadium import find_packing_site
from web.packing.views import board_of, today
from web.platform.answers import Outcome, answered
from web.platform.auth import actor_of, services_of
from web.platform.fields import count_of
from web.platform.guards import check_line, requires_sign_in
from web.platform.render import page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]
BATCH_SIZES = (10, 20, 25, 50)


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
        services = services_of(request)
        _, shift = await sync_to_thread(
            check_line, actor_of(request), services.db, site_id, line_id
        )
        boxes = LogBoxes(
            site_id,
            line_id,
            count_of(data.get("count", "")),
            data.get("idempotency_key", "") or str(uuid4()),
            UUID(shift) if shift else None,
        )

        def logged(outcome: Outcome) -> Response[Any]:
            return page(
                request,
                "_line_log.html",
                status_code=201 if outcome.ok else outcome.status,
                personal=True,
                notice=outcome.notice,
                logged=outcome.ok,
                **self._line(request, site_id, line_id),
            )

        back = f"/packing/{site_id}/lines/{line_id}"
        return await answered(request, boxes, back=back, fragment=logged)

    def _line(self, request: AnyRequest, site_id: UUID, line_id: UUID) -> dict[str, Any]:
        services = services_of(request)
        line, _ = check_line(actor_of(request), services.db, site_id, line_id)
        site = find_packing_site(services.db, str(site_id))
        seen = board_of(services.db, site, today()) if site else {"lines": []}
        counted = next((row for row in seen["lines"] if row["line_id"] == line["line_id"]), line)
        return {"site": site, "line": counted, "sizes": BATCH_SIZES}
