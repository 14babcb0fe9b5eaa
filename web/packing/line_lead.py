"""The line lead's phone: today's count for the line and one tap per batch of boxes."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from coordination.errors import DomainError
from projections.stadium import find_packing_site
from web.packing.views import board_of, today
from web.platform.auth import actor_of, services_of
from web.platform.errors import message_of, status_of
from web.platform.fields import count_of
from web.platform.guards import check_line, requires_sign_in
from web.platform.render import locale_of, page

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

    @post("/boxes", sync_to_thread=True)
    def log(
        self, request: AnyRequest, site_id: FromPath[UUID], line_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        services, status, notice = services_of(request), 201, None
        actor = actor_of(request)
        _, shift = check_line(actor, services.db, site_id, line_id)
        try:
            services.app.log_boxes(
                actor,
                site_id,
                line_id,
                count_of(data.get("count", "")),
                data.get("idempotency_key", "") or str(uuid4()),
                UUID(shift) if shift else None,
            )
        except DomainError as error:
            status, notice = status_of(error), message_of(error, locale_of(request))
        if not request.headers.get("hx-request"):
            return Redirect(f"/packing/{site_id}/lines/{line_id}", status_code=303)
        if services.settings.embedded_projections:
            services.runner.catch_up()
        return page(
            request,
            "_line_log.html",
            status_code=status,
            personal=True,
            notice=notice,
            logged=status == 201,
            **self._line(request, site_id, line_id),
        )

    def _line(self, request: AnyRequest, site_id: UUID, line_id: UUID) -> dict[str, Any]:
        services = services_of(request)
        line, _ = check_line(actor_of(request), services.db, site_id, line_id)
        site = find_packing_site(services.db, str(site_id))
        seen = board_of(services.db, site, today()) if site else {"lines": []}
        counted = next((row for row in seen["lines"] if row["line_id"] == line["line_id"]), line)
        return {"site": site, "line": counted, "sizes": BATCH_SIZES}
