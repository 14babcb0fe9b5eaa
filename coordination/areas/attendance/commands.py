"""What desks, site staff and the no-show round ask of a volunteer's attendance.

A desk names the volunteer by badge, by mobile number or by id: whichever came first of
these (``lookups.volunteer_named``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from coordination.text import KEY, LABEL, free_text


@free_text(desk=LABEL, idempotency_key=KEY, badge=KEY, phone=KEY)
@dataclass(frozen=True)
class CheckIn:
    """A double scan answers as the first; a walk-in takes a free place on the shift. Without
    the shift, the volunteer's shift at the site open for arrivals when scanned. ``at`` is when
    an offline desk scanned the badge, by its own clock (the receipt time when not given)."""

    site_id: UUID
    volunteer_id: UUID | None
    idempotency_key: str
    shift_id: UUID | None = None
    walk_in: bool = False
    desk: str = ""
    badge: str = ""
    phone: str = ""
    at: datetime | None = None


@free_text(desk=LABEL, idempotency_key=KEY, badge=KEY, phone=KEY)
@dataclass(frozen=True)
class CheckOut:
    """``at`` is when an offline desk scanned the badge, by its own clock (the receipt time
    when not given; the event's own timestamp keeps when the server had it)."""

    site_id: UUID
    volunteer_id: UUID | None
    idempotency_key: str
    shift_id: UUID | None = None
    desk: str = ""
    badge: str = ""
    phone: str = ""
    at: datetime | None = None


@free_text(zone=LABEL, position=LABEL, badge=KEY, phone=KEY)
@dataclass(frozen=True)
class AssignPlace:
    """A zone on the floor, or a line (its zone) and a position on it."""

    shift_id: UUID
    volunteer_id: UUID | None
    zone: str
    position: str
    line_id: UUID | None = None
    badge: str = ""
    phone: str = ""


@dataclass(frozen=True)
class MarkNoShows:
    """After the shift: everyone signed up who never arrived. Safe to run again."""

    shift_id: UUID


@dataclass(frozen=True)
class AttendanceState:
    attendance_id: UUID
    shift_id: UUID
    volunteer_id: UUID
    recorded: bool
    walk_in: bool
    checked_in_at: datetime | None
    checked_out_at: datetime | None
