"""A site's shifts for its staff: the day's plan as a grid, one shift at a time, and each
shift's volunteers to remove or move, with the reason they will read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import Body, FromPath, FromQuery

from coordination.areas.shifts.commands import (
    CancelShift,
    ChangeShift,
    MoveVolunteer,
    PlannedShift,
    PlanShifts,
    RemoveVolunteer,
)
from coordination.calendar import from_utc_text, local, utc_text
from coordination.permissions import Actor
from coordination.shift import ShiftRole
from projections.shift_board import days_of_site, find_shifts, find_site, get_shift
from projections.volunteer_directory import volunteers_on_shift
from web.platform.answers import Outcome, answered
from web.platform.auth import actor_of, services_of
from web.platform.delivery_report import delivery_report
from web.platform.fields import count_of, point_of, today
from web.platform.guards import requires_sign_in
from web.platform.i18n import N_, gettext_for
from web.platform.render import locale_of, page
from web.shifts.times import day_of, span_of

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]
BLOCKS = 3  # time blocks in the day's grid
UNREADABLE = (datetime(2000, 1, 1), datetime(2000, 1, 1))  # refused as invalid shift times
SHOWN_VOLUNTEERS = 50
ROLES = [role.value for role in ShiftRole]


def check_site(actor: Actor, db: Any, site_id: UUID) -> dict[str, Any]:
    """The site's manager, its governorate's coordinator or the national admin."""
    site = find_site(db, str(site_id))
    if site is None:
        raise NotFoundException()
    if not actor.manages_site(site_id, site["governorate"]):
        raise PermissionDeniedException()
    return site


def grid_of(data: dict[str, str]) -> tuple[PlannedShift, ...]:
    """Every cell of the grid with places, in its block's times on the form's day."""
    day = day_of(data.get("day", ""))
    planned = []
    for block in range(BLOCKS):
        span = span_of(day, data.get(f"start_{block}", ""), data.get(f"end_{block}", ""))
        for role in ROLES:
            places = count_of(data.get(f"places_{role}_{block}", ""))
            if places:
                starts_at, ends_at = span or UNREADABLE
                planned.append(PlannedShift(role, starts_at, ends_at, places))
    return tuple(planned)


def planned_notice(result: Any) -> str:
    return (
        N_("Shifts planned: %(count)s.") if result.scheduled else N_("Those shifts exist already.")
    )


class ShiftPlanPages(Controller):
    path = "/sites/{site_id:uuid}/shifts"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def plan(
        self, request: AnyRequest, site_id: FromPath[UUID], day: FromQuery[str] = ""
    ) -> Response[str]:
        return page(request, "site_shifts.html", personal=True, **self._plan(request, site_id, day))

    @post("/")
    async def create(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        day = data.get("day", "")
        span = span_of(day_of(day), data.get("start", ""), data.get("end", "")) or UNREADABLE
        one = PlannedShift(data.get("role", ""), *span, count_of(data.get("places", "")))
        return await self._planned(request, site_id, day, PlanShifts(site_id, (one,)))

    @post("/plan")
    async def plan_day(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        command = PlanShifts(site_id, grid_of(data))
        return await self._planned(request, site_id, data.get("day", ""), command)

    async def _planned(
        self, request: AnyRequest, site_id: UUID, day: str, command: PlanShifts
    ) -> Response[Any]:
        check_site(actor_of(request), services_of(request).db, site_id)
        back = f"/sites/{site_id}/shifts?day={day}"
        return await answered(
            request,
            command,
            back=back,
            done=lambda result: _translated(
                request, planned_notice(result), count=len(result.scheduled)
            ),
            fragment=lambda outcome: self._panel(request, site_id, day, outcome),
        )

    def _panel(
        self, request: AnyRequest, site_id: UUID, day: str, outcome: Outcome
    ) -> Response[str]:
        return page(
            request,
            "_site_shifts_panel.html",
            personal=True,
            status_code=outcome.status,
            notice=["success" if outcome.ok else "error", outcome.notice],
            **self._plan(request, site_id, day),
        )

    def _plan(self, request: AnyRequest, site_id: UUID, day: str) -> dict[str, Any]:
        db = services_of(request).db
        site = check_site(actor_of(request), db, site_id)
        day = day if day_of(day) else today()
        return {
            "site": site,
            "day": day,
            "days": days_of_site(db, str(site_id)),
            "shifts": find_shifts(db, site_id=str(site_id), day=day, with_cancelled=True),
            "roles": ROLES,
            "blocks": range(BLOCKS),
            "default_blocks": (("08:00", "12:00"), ("12:00", "16:00"), ("16:00", "20:00")),
        }


class ShiftPages(Controller):
    path = "/sites/{site_id:uuid}/shifts/{shift_id:uuid}"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def shift(
        self,
        request: AnyRequest,
        site_id: FromPath[UUID],
        shift_id: FromPath[UUID],
        q: FromQuery[str] = "",
    ) -> Response[str]:
        return page(
            request, "site_shift.html", personal=True, **self._shift(request, site_id, shift_id, q)
        )

    @post("/change")
    async def change(
        self, request: AnyRequest, site_id: FromPath[UUID], shift_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        span = span_of(day_of(data.get("day", "")), data.get("start", ""), data.get("end", ""))
        starts_at, ends_at = span or UNREADABLE
        command = ChangeShift(shift_id, starts_at, ends_at, count_of(data.get("places", "")))
        return await self._answered(
            request, site_id, shift_id, command, N_("The shift was changed.")
        )

    @post("/cancel")
    async def cancel(
        self, request: AnyRequest, site_id: FromPath[UUID], shift_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        command = CancelShift(shift_id, data.get("reason", ""))
        return await self._answered(
            request,
            site_id,
            shift_id,
            command,
            N_("The shift was cancelled; its volunteers can see why."),
        )

    @post("/remove")
    async def remove(
        self, request: AnyRequest, site_id: FromPath[UUID], shift_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        volunteer = point_of(data.get("volunteer", "")) or UUID(int=0)
        command = RemoveVolunteer(shift_id, volunteer, data.get("reason", ""))
        return await self._answered(
            request, site_id, shift_id, command, N_("The volunteer was taken off the shift.")
        )

    @post("/move")
    async def move(
        self, request: AnyRequest, site_id: FromPath[UUID], shift_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        volunteer = point_of(data.get("volunteer", "")) or UUID(int=0)
        to = point_of(data.get("to", "")) or UUID(int=0)
        command = MoveVolunteer(shift_id, volunteer, to, data.get("reason", ""))
        return await self._answered(
            request, site_id, shift_id, command, N_("The volunteer was moved.")
        )

    async def _answered(
        self, request: AnyRequest, site_id: UUID, shift_id: UUID, command: Any, done: str
    ) -> Response[Any]:
        self._shift_row(request, site_id, shift_id)
        return await answered(
            request,
            command,
            back=f"/sites/{site_id}/shifts/{shift_id}",
            done=_translated(request, done),
            fragment=lambda outcome: page(
                request,
                "_site_shift_panel.html",
                personal=True,
                status_code=outcome.status,
                notice=["success" if outcome.ok else "error", outcome.notice],
                **self._shift(request, site_id, shift_id, ""),
            ),
        )

    def _shift_row(
        self, request: AnyRequest, site_id: UUID, shift_id: UUID
    ) -> tuple[dict[str, Any], Any]:
        db = services_of(request).db
        site = check_site(actor_of(request), db, site_id)
        shift = get_shift(db, str(shift_id))
        if shift is None or shift["site_id"] != str(site_id):
            raise NotFoundException()
        return site, shift

    def _shift(self, request: AnyRequest, site_id: UUID, shift_id: UUID, q: str) -> dict[str, Any]:
        services = services_of(request)
        site, shift = self._shift_row(request, site_id, shift_id)
        everyone = volunteers_on_shift(services.db, services.sealer, str(shift_id))
        wanted = q.strip().casefold()
        found = [v for v in everyone if wanted in v["full_name"].casefold() or wanted in v["phone"]]
        now = utc_text(datetime.now(UTC))
        others = [
            row
            for row in find_shifts(services.db, site_id=str(site_id), limit=500)
            if row["shift_id"] != str(shift_id) and row["ends_at"] > now
        ]
        return {
            "site": site,
            "shift": shift,
            "volunteers": found[:SHOWN_VOLUNTEERS],
            "matched": len(found),
            "everyone": len(everyone),
            "q": q,
            "others": others,
            "local": _local_fields(shift),
            "delivery": delivery_report(services.db, services.sealer, shift_id),
        }


def _local_fields(shift: Any) -> dict[str, str]:
    starts, ends = local(from_utc_text(shift["starts_at"])), local(from_utc_text(shift["ends_at"]))
    return {
        "day": starts.date().isoformat(),
        "start": starts.strftime("%H:%M"),
        "end": ends.strftime("%H:%M"),
    }


def _translated(request: AnyRequest, text: str, **values: Any) -> str:
    return gettext_for(locale_of(request), text, **values)
