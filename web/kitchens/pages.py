"""Kitchen pages: a kitchen's day with its batches and forms; governorate and national views."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from coordination.areas.kitchens.commands import (
    ConfigureKitchen,
    LogCooked,
    LogDiscarded,
    LogServed,
    ReverseEntry,
)
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.governorates import get_governorate
from coordination.iftar import hijri, iftar_at
from coordination.permissions import Role
from coordination.site import SiteKind
from projections.kitchen_dashboard import (
    batches_of,
    entries_of,
    governorates_on,
    kitchen_day,
    kitchens_on,
    meals_per_day,
)
from projections.shift_board import list_sites
from web.platform.answers import Outcome, answered
from web.platform.auth import actor_of, resolved_actor, services_of
from web.platform.fields import count_of, decimal_of, point_of, today
from web.platform.flash import take_flashes
from web.platform.guards import (
    check_governorate,
    check_kitchen,
    check_national,
    requires_sign_in,
    room_staff,
)
from web.platform.i18n import N_, gettext_for
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


def chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "x": [r["day"] for r in rows],
        "series": {name: [r[name] for r in rows] for name in ("cooked", "served", "discarded")},
    }


class KitchenPages(Controller):
    path = "/kitchens"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def index(self, request: AnyRequest) -> Response[str]:
        actor, db = actor_of(request), services_of(request).db
        everything = room_staff(actor)
        governorates = sorted(actor.scopes(Role.GOVERNORATE_COORDINATOR))
        kitchens = [
            k
            for k in kitchens_on(db, today())
            if everything or actor.manages_site(UUID(k["kitchen_id"]), k["governorate"])
        ]
        return page(
            request,
            "kitchens_index.html",
            personal=True,
            national=everything,
            governorate_codes=governorates,
            kitchens=kitchens,
        )

    @get("/{kitchen_id:uuid}", sync_to_thread=True)
    def kitchen(self, request: AnyRequest, kitchen_id: FromPath[UUID]) -> Response[str]:
        return page(
            request,
            "kitchen.html",
            personal=True,
            flashes=take_flashes(request),
            **self._kitchen_context(request, kitchen_id),
        )

    @get("/{kitchen_id:uuid}/panel", sync_to_thread=True)
    def kitchen_panel(self, request: AnyRequest, kitchen_id: FromPath[UUID]) -> Response[str]:
        return page(
            request,
            "_kitchen_panel.html",
            personal=True,
            **self._kitchen_context(request, kitchen_id),
        )

    @post("/{kitchen_id:uuid}/settings")
    async def settings(
        self, request: AnyRequest, kitchen_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        """The daily target and the place (which sets the time of iftar), for its lead."""
        command = ConfigureKitchen(
            kitchen_id,
            count_of(data.get("daily_target", "")),
            decimal_of(data.get("latitude", "")),  # blank keeps the old
            decimal_of(data.get("longitude", "")),
        )
        db, locale = services_of(request).db, locale_of(request)
        await sync_to_thread(check_kitchen, await resolved_actor(request), db, kitchen_id)
        return await answered(
            request,
            command,
            back=f"/kitchens/{kitchen_id}",
            done=gettext_for(locale, N_("The kitchen's settings are saved.")),
        )

    @post("/{kitchen_id:uuid}/batches")
    async def cooked(
        self, request: AnyRequest, kitchen_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        return await self._answered(
            request,
            kitchen_id,
            LogCooked(
                kitchen_id,
                data.get("dish", ""),
                count_of(data.get("count", "")),
                data.get("idempotency_key", "") or str(uuid4()),
            ),
        )

    @post("/{kitchen_id:uuid}/batches/{batch_id:uuid}/served")
    async def served(
        self, request: AnyRequest, kitchen_id: FromPath[UUID], batch_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        return await self._answered(
            request,
            kitchen_id,
            LogServed(
                batch_id,
                count_of(data.get("count", "")),
                data.get("how", "on_site"),
                data.get("idempotency_key", "") or str(uuid4()),
                point_of(data.get("point_id", "")),
            ),
        )

    @post("/{kitchen_id:uuid}/batches/{batch_id:uuid}/discarded")
    async def discarded(
        self, request: AnyRequest, kitchen_id: FromPath[UUID], batch_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        return await self._answered(
            request,
            kitchen_id,
            LogDiscarded(
                batch_id,
                count_of(data.get("count", "")),
                data.get("reason", "other"),
                data.get("idempotency_key", "") or str(uuid4()),
            ),
        )

    @post("/{kitchen_id:uuid}/batches/{batch_id:uuid}/reversals")
    async def correct(
        self, request: AnyRequest, kitchen_id: FromPath[UUID], batch_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        """An entry from the day's list taken back, with the reason given."""
        return await self._answered(
            request,
            kitchen_id,
            ReverseEntry(
                batch_id,
                data.get("entry_key", ""),
                data.get("idempotency_key", "") or str(uuid4()),
                data.get("reason", ""),
            ),
        )

    @get("/governorates/{code:str}", sync_to_thread=True)
    def governorate(self, request: AnyRequest, code: FromPath[str]) -> Response[str]:
        return page(
            request,
            "kitchens_dashboard.html",
            personal=True,
            **self._governorate_context(request, code),
        )

    @get("/governorates/{code:str}/panel", sync_to_thread=True)
    def governorate_panel(self, request: AnyRequest, code: FromPath[str]) -> Response[str]:
        return page(
            request,
            "_kitchens_dashboard_panel.html",
            personal=True,
            **self._governorate_context(request, code),
        )

    @get("/national", sync_to_thread=True)
    def national(self, request: AnyRequest) -> Response[str]:
        return page(
            request, "kitchens_dashboard.html", personal=True, **self._national_context(request)
        )

    @get("/national/panel", sync_to_thread=True)
    def national_panel(self, request: AnyRequest) -> Response[str]:
        return page(
            request,
            "_kitchens_dashboard_panel.html",
            personal=True,
            **self._national_context(request),
        )

    async def _answered(
        self,
        request: AnyRequest,
        kitchen_id: UUID,
        command: LogCooked | LogServed | LogDiscarded | ReverseEntry,
    ) -> Response[Any]:
        db = services_of(request).db
        await sync_to_thread(check_kitchen, await resolved_actor(request), db, kitchen_id)
        return await answered(
            request,
            command,
            back=f"/kitchens/{kitchen_id}",
            fragment=lambda outcome: self._panel(request, kitchen_id, outcome),
        )

    def _panel(self, request: AnyRequest, kitchen_id: UUID, outcome: Outcome) -> Response[Any]:
        return page(
            request,
            "_kitchen_panel.html",
            status_code=outcome.status,
            personal=True,
            notice=outcome.notice,
            **self._kitchen_context(request, kitchen_id),
        )

    def _kitchen_context(self, request: AnyRequest, kitchen_id: UUID) -> dict[str, Any]:
        services = services_of(request)
        kitchen = check_kitchen(actor_of(request), services.db, kitchen_id)
        day = today()
        iftar = iftar_at(
            kitchen["latitude"], kitchen["longitude"], datetime.fromisoformat(day).date()
        )
        minutes = int((iftar - datetime.now(CAMPAIGN_TIMEZONE)).total_seconds() // 60)
        return {
            "kitchen": kitchen,
            "leads": actor_of(request).manages_site(kitchen_id, kitchen["governorate"]),
            "day": day,
            "totals": kitchen_day(services.db, str(kitchen_id), day),
            "batches": batches_of(services.db, str(kitchen_id), day),
            "entries": entries_of(services.db, str(kitchen_id), day),
            "iftar": iftar,
            "minutes_to_iftar": minutes,
            "hijri": hijri(iftar.date()),
            "live_key": f"kitchen:{kitchen_id}",
            "points": [
                site
                for site in list_sites(services.db, kitchen["governorate"])
                if site["kind"] == SiteKind.DISTRIBUTION_POINT
            ],
        }

    def _governorate_context(self, request: AnyRequest, code: str) -> dict[str, Any]:
        governorate = get_governorate(code)
        check_governorate(actor_of(request), governorate.code)
        db, day = services_of(request).db, today()
        return {
            "title_governorate": governorate,
            "day": day,
            "rows": kitchens_on(db, day, governorate.code),
            "chart": chart(meals_per_day(db, governorate.code)),
            "live_key": f"governorate:{governorate.code}",
            "panel_url": f"/kitchens/governorates/{governorate.code}/panel",
            "hijri": hijri(datetime.fromisoformat(day).date()),
        }

    def _national_context(self, request: AnyRequest) -> dict[str, Any]:
        check_national(actor_of(request))
        db, day = services_of(request).db, today()
        return {
            "title_governorate": None,
            "day": day,
            "rows": governorates_on(db, day),
            "chart": chart(meals_per_day(db)),
            "live_key": "national",
            "panel_url": "/kitchens/national/panel",
            "hijri": hijri(datetime.fromisoformat(day).date()),
        }
