"""A volunteer's shifts in their own calendar: a private feed (iCalendar, RFC 5545) that
calendar apps fetch again now and then, so a moved shift moves and a cancelled one is marked
cancelled, and one shift's `.ics` to add by hand. The feed's link is the volunteer's id with a
keyed check of which link it is (``coordination/calendar_links.py``); resetting it on
"my shifts" ends the link given out before."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from icalendar import Calendar, Event
from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from coordination.areas.accounts.commands import ResetCalendarLink
from coordination.calendar import from_utc_text
from coordination.calendar_links import calendar_token, is_current, volunteer_of_calendar
from projections.database import Row
from projections.my_shifts import calendar_link_of, lost_shifts_of, shifts_of
from projections.outbox import message_language
from web.platform.answers import answered
from web.platform.auth import actor_of, services_of, volunteer_of
from web.platform.guards import requires_volunteer
from web.platform.i18n import gettext_for, translations
from web.platform.messages import OUTCOME_MESSAGES, ROLE_NAMES
from web.platform.render import locale_of

AnyRequest = Request[Any, Any, Any]
ICS = "text/calendar; charset=utf-8"


def feed_path(fingerprints: Any, volunteer_id: UUID, link: int) -> str:
    return f"/calendar/{calendar_token(fingerprints, volunteer_id, link)}/shifts.ics"


def shifts_calendar(shifts: list[Row], cancelled: list[Row], locale: str) -> bytes:
    """The shifts as events (a shift's id is its event's UID, so an app updates it in place);
    shifts the staff took the volunteer off, marked cancelled."""
    _ = translations(locale).gettext
    calendar = Calendar()
    calendar.add("prodid", "-//Katf//shifts//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("My Katf shifts"))
    stamp = datetime.now(UTC)
    dated = [*((r, "CONFIRMED") for r in shifts), *((r, "CANCELLED") for r in cancelled)]
    for row, status in dated:
        site = row["site_name_ar" if locale == "ar" else "site_name_en"]
        event = Event()
        event.add("uid", f"{row['shift_id']}@katf")
        event.add("dtstamp", stamp)
        event.add("dtstart", from_utc_text(row["starts_at"]))
        event.add("dtend", from_utc_text(row["ends_at"]))
        event.add("summary", f"{_('Katf')}: {_(ROLE_NAMES.get(row['role'], row['role']))}")
        event.add("location", site)
        event.add("status", status)
        calendar.add_component(event)
    return calendar.to_ical()


def _ics(body: bytes, name: str) -> Response[bytes]:
    return Response(
        body,
        media_type=ICS,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


class CalendarPages(Controller):
    @get("/calendar/{token:str}/shifts.ics", sync_to_thread=True)
    def feed(self, request: AnyRequest, token: FromPath[str]) -> Response[bytes]:
        """No session: a calendar app fetches it; a link that is not the working one is 404."""
        services = services_of(request)
        volunteer_id = volunteer_of_calendar(services.app.fingerprints, token)
        if volunteer_id is None:
            raise NotFoundException()
        volunteer = str(volunteer_id)
        link = calendar_link_of(services.db, volunteer)
        if not is_current(services.app.fingerprints, token, volunteer_id, link):
            raise NotFoundException()
        locale = message_language(services.db, {"volunteer_id": volunteer})
        shifts, lost = shifts_of(services.db, volunteer), lost_shifts_of(services.db, volunteer)
        return _ics(shifts_calendar(shifts, lost, locale), "katf-shifts.ics")

    @get(
        "/my-shifts/{shift_id:uuid}/calendar.ics",
        guards=[requires_volunteer],
        sync_to_thread=True,
    )
    def one_shift(self, request: AnyRequest, shift_id: FromPath[UUID]) -> Response[bytes]:
        services = services_of(request)
        volunteer = str(volunteer_of(actor_of(request)))
        rows = [r for r in shifts_of(services.db, volunteer) if r["shift_id"] == str(shift_id)]
        if not rows:
            raise NotFoundException()
        return _ics(shifts_calendar(rows, [], locale_of(request)), f"katf-shift-{shift_id}.ics")

    @post("/my-shifts/calendar-link", guards=[requires_volunteer])
    async def reset_link(self, request: AnyRequest) -> Response[Any]:
        done = gettext_for(locale_of(request), OUTCOME_MESSAGES["calendar_link_reset"])
        return await answered(request, ResetCalendarLink(), back="/my-shifts", done=done)
