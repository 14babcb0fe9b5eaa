"""Packing-site pages: the live stadium board, its big-screen mode and time travel, and the
site's console (targets, lines, places, boxes, trucks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect

from coordination.attendance import Position
from coordination.errors import DomainError
from coordination.site import SiteKind
from projections.shift_board import list_sites
from projections.stadium import packing_sites, shifts_of_site
from web.packing.views import board_at, board_of, moment_of, today, who_is
from web.platform.auth import actor_of, services_of
from web.platform.errors import message_of, status_of
from web.platform.fields import count_of, point_of
from web.platform.guards import check_packing_site, requires_sign_in, room_staff
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]
Command = Callable[[Any, Any], Any]


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
            if room_staff(actor)
            or actor.manages_site(UUID(site["site_id"]), site["governorate"])
            or str(actor.device_site_id) == site["site_id"]
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
        return page(request, "packing_tv.html", personal=True, **self._board(request, site_id))

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
        return page(
            request,
            "packing_board_at.html",
            personal=True,
            moment=moment,
            **board_at(services.app, site, day, moment),
        )

    @get("/{site_id:uuid}/console", sync_to_thread=True)
    def console(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        return page(
            request, "packing_console.html", personal=True, **self._console(request, site_id)
        )

    @post("/{site_id:uuid}/settings", sync_to_thread=True)
    def settings(self, request: AnyRequest, site_id: FromPath[UUID], data: Form) -> Response[Any]:
        return self._command(
            request,
            site_id,
            lambda app, actor: app.configure_packing(
                actor,
                site_id,
                count_of(data.get("daily_box_target", "")),
                template_of(data.get("box_template", "")),
            ),
        )

    @post("/{site_id:uuid}/lines", sync_to_thread=True)
    def add_line(self, request: AnyRequest, site_id: FromPath[UUID], data: Form) -> Response[Any]:
        return self._command(
            request,
            site_id,
            lambda app, actor: app.add_line(
                actor,
                site_id,
                data.get("name", ""),
                data.get("zone", ""),
                count_of(data.get("hourly_target", "")),
            ),
        )

    @post("/{site_id:uuid}/places", sync_to_thread=True)
    def place(self, request: AnyRequest, site_id: FromPath[UUID], data: Form) -> Response[Any]:
        def assign(app: Any, actor: Any) -> Any:
            return app.assign_place(
                actor,
                point_of(data.get("shift_id", "")) or uuid4(),
                who_is(app, data.get("who", "")),
                data.get("zone", ""),
                data.get("position", ""),
                point_of(data.get("line_id", "")),
            )

        return self._command(request, site_id, assign)

    @post("/{site_id:uuid}/dispatches", sync_to_thread=True)
    def dispatch(self, request: AnyRequest, site_id: FromPath[UUID], data: Form) -> Response[Any]:
        return self._command(
            request,
            site_id,
            lambda app, actor: app.dispatch_truck(
                actor,
                site_id,
                point_of(data.get("point_id", "")) or uuid4(),
                count_of(data.get("count", "")),
                data.get("idempotency_key", "") or str(uuid4()),
                data.get("label", ""),
            ),
        )

    @post("/{site_id:uuid}/boxes", sync_to_thread=True)
    def log_boxes(self, request: AnyRequest, site_id: FromPath[UUID], data: Form) -> Response[Any]:
        line = point_of(data.get("line_id", "")) or uuid4()
        return self._command(
            request,
            site_id,
            lambda app, actor: app.log_boxes(
                actor,
                site_id,
                line,
                count_of(data.get("count", "")),
                data.get("idempotency_key", "") or str(uuid4()),
            ),
        )

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
            "positions": list(Position),
            "points": [
                s for s in list_sites(services.db) if s["kind"] == SiteKind.DISTRIBUTION_POINT
            ],
            "template_text": "\n".join(
                f"{name}: {quantity}" for name, quantity in site["box_template"].items()
            ),
        }

    def _command(self, request: AnyRequest, site_id: UUID, command: Command) -> Response[Any]:
        services, status, notice, ok = services_of(request), 200, None, True
        check_packing_site(actor_of(request), services.db, site_id)
        try:
            command(services.app, actor_of(request))
        except DomainError as error:
            status, notice, ok = status_of(error), message_of(error, locale_of(request)), False
        if not request.headers.get("hx-request"):
            return Redirect(f"/packing/{site_id}/console", status_code=303)
        if services.settings.embedded_projections:
            services.runner.catch_up()
        return page(
            request,
            "_packing_console.html",
            status_code=status,
            personal=True,
            notice=notice,
            ok=ok,
            **self._console(request, site_id),
        )
