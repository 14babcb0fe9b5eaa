"""Who is on the floor: each shift's hands against its places, and every attendance row."""

from __future__ import annotations

from typing import Any

from coordination.attendance import Attendance
from coordination.calendar import local_day, utc_text
from coordination.shift import Shift
from projections.database import Cursor, Row
from projections.projection import Projection, handles

VIEW = "attendance_board"
WHOSE = "SELECT shift_id, volunteer_id FROM attendance WHERE attendance_id = %s"
SITE_OF = "SELECT site_id FROM site_shifts WHERE shift_id = %s"


class AttendanceBoard(Projection):
    name = VIEW
    tables = ("site_shifts", "attendance")

    @handles(Shift.Scheduled)
    def scheduled(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO site_shifts (shift_id, site_id, role, starts_at, ends_at, day, capacity)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                str(event.site_id),
                event.role,
                utc_text(event.starts_at),
                utc_text(event.ends_at),
                local_day(event.starts_at).isoformat(),
                event.capacity,
            ),
        )
        self.knew(SITE_OF, str(event.originator_id), {"site_id": str(event.site_id)})
        return [f"packing:{event.site_id}"]

    @handles(Shift.SignedUp)
    def signed_up(self, cursor: Cursor, event: Any) -> list[str]:
        return self._count(cursor, str(event.originator_id), signed_up=1)

    @handles(Shift.PromotedFromWaitlist)
    def promoted(self, cursor: Cursor, event: Any) -> list[str]:
        return self._count(cursor, str(event.originator_id), signed_up=1)

    @handles(Shift.Withdrawn)
    def withdrawn(self, cursor: Cursor, event: Any) -> list[str]:
        return self._count(cursor, str(event.originator_id), signed_up=-1)

    @handles(Shift.VolunteerRemoved)
    def removed(self, cursor: Cursor, event: Any) -> list[str]:
        return self._count(cursor, str(event.originator_id), signed_up=-1)

    @handles(Shift.Rescheduled)
    def rescheduled(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE site_shifts SET starts_at = %s, ends_at = %s, day = %s, capacity = %s"
            " WHERE shift_id = %s",
            (
                utc_text(event.starts_at),
                utc_text(event.ends_at),
                local_day(event.starts_at).isoformat(),
                event.capacity,
                str(event.originator_id),
            ),
        )
        return self._count(cursor, str(event.originator_id))

    @handles(Shift.Cancelled)
    def cancelled(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE site_shifts SET cancelled = 1, signed_up = 0 WHERE shift_id = %s",
            (str(event.originator_id),),
        )
        return self._count(cursor, str(event.originator_id))

    @handles(Attendance.Opened)
    def opened(self, cursor: Cursor, event: Any) -> list[str]:
        whose = {"shift_id": str(event.shift_id), "volunteer_id": str(event.volunteer_id)}
        self.knew(WHOSE, str(event.originator_id), whose)
        cursor.execute(
            "INSERT INTO attendance (attendance_id, shift_id, volunteer_id, site_id, day)"
            " VALUES (%s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                str(event.shift_id),
                str(event.volunteer_id),
                str(event.site_id),
                local_day(event.starts_at).isoformat(),
            ),
        )
        return []

    @handles(Attendance.CheckedIn)
    def checked_in(self, cursor: Cursor, event: Any) -> list[str]:
        shift = self._update(
            cursor,
            event,
            "checked_in_at = %s, walk_in = %s, desk = %s",
            (utc_text(event.at), int(event.walk_in), event.desk),
        )
        return self._count(cursor, shift, checked_in=1)

    @handles(Attendance.CheckedOut)
    def checked_out(self, cursor: Cursor, event: Any) -> list[str]:
        shift = self._update(
            cursor, event, "checked_out_at = %s, seconds = %s", (utc_text(event.at), event.seconds)
        )
        return self._count(cursor, shift)

    @handles(Attendance.Assigned)
    def assigned(self, cursor: Cursor, event: Any) -> list[str]:
        line = str(event.line_id) if event.line_id else None
        shift = self._update(
            cursor,
            event,
            "zone = %s, line_id = %s, position = %s",
            (event.zone, line, event.position),
        )
        return [*self._count(cursor, shift), f"volunteer:{self._volunteer(cursor, event)}"]

    @handles(Attendance.NoShow)
    def no_show(self, cursor: Cursor, event: Any) -> list[str]:
        shift = self._update(cursor, event, "no_show = %s", (1,))
        return self._count(cursor, shift, no_shows=1)

    def _update(self, cursor: Cursor, event: Any, assignments: str, values: tuple[Any, ...]) -> str:
        cursor.execute(
            f"UPDATE attendance SET {assignments} WHERE attendance_id = %s",
            (*values, str(event.originator_id)),
        )
        return str(self._whose(cursor, event)["shift_id"])

    def _volunteer(self, cursor: Cursor, event: Any) -> str:
        return str(self._whose(cursor, event)["volunteer_id"])

    def _whose(self, cursor: Cursor, event: Any) -> Row:
        row = self.fact(cursor, WHOSE, str(event.originator_id))
        assert row is not None, "an attendance's first event writes its row"
        return row

    def _count(self, cursor: Cursor, shift_id: str, **change: int) -> list[str]:
        if change:
            assignments = ", ".join(f"{column} = {column} + %s" for column in change)
            cursor.execute(
                f"UPDATE site_shifts SET {assignments} WHERE shift_id = %s",
                (*change.values(), shift_id),
            )
        site_id = self._site_of(cursor, shift_id)
        return [f"packing:{site_id}"] if site_id else []

    def _site_of(self, cursor: Cursor, shift_id: str) -> str | None:
        row = self.fact(cursor, SITE_OF, shift_id)
        return row["site_id"] if row else None
