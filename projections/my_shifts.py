"""Each volunteer's shifts, for the "my shifts" page."""

from __future__ import annotations

from typing import Any

from coordination.calendar import utc_text
from coordination.volunteer import Volunteer
from projections.database import Cursor, Database, Row
from projections.projection import Projection, handles
from projections.shift_board import BOARD_COLUMNS

VIEW = "my_shifts"


class MyShifts(Projection):
    name = VIEW
    tables = ("my_shifts", "lost_shifts", "calendar_links")

    @handles(Volunteer.ShiftTaken)
    def shift_taken(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO my_shifts (volunteer_id, shift_id, starts_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (volunteer_id, shift_id) DO NOTHING",
            (str(event.originator_id), str(event.shift_id), utc_text(event.starts_at)),
        )
        return [f"volunteer:{event.originator_id}"]

    @handles(Volunteer.ShiftReleased)
    def shift_released(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "DELETE FROM my_shifts WHERE volunteer_id = %s AND shift_id = %s",
            (str(event.originator_id), str(event.shift_id)),
        )
        return [f"volunteer:{event.originator_id}"]

    @handles(Volunteer.ShiftRetimed)
    def shift_retimed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE my_shifts SET starts_at = %s WHERE volunteer_id = %s AND shift_id = %s",
            (utc_text(event.starts_at), str(event.originator_id), str(event.shift_id)),
        )
        return [f"volunteer:{event.originator_id}"]

    @handles(Volunteer.ShiftLost)
    def shift_lost(self, cursor: Cursor, event: Any) -> list[str]:
        volunteer_id, shift_id = str(event.originator_id), str(event.shift_id)
        cursor.execute(
            "INSERT INTO lost_shifts (volunteer_id, shift_id, starts_at, why, reason, lost_at)"
            " SELECT volunteer_id, shift_id, starts_at, %s, %s, %s FROM my_shifts"
            " WHERE volunteer_id = %s AND shift_id = %s ON CONFLICT (volunteer_id, shift_id)"
            " DO UPDATE SET why = excluded.why, reason = excluded.reason,"
            " lost_at = excluded.lost_at",
            (event.why, event.reason, utc_text(event.timestamp), volunteer_id, shift_id),
        )
        cursor.execute(
            "DELETE FROM my_shifts WHERE volunteer_id = %s AND shift_id = %s",
            (volunteer_id, shift_id),
        )
        return [f"volunteer:{volunteer_id}"]

    @handles(Volunteer.CalendarLinkReset)
    def calendar_link_reset(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO calendar_links (volunteer_id, generation) VALUES (%s, 1)"
            " ON CONFLICT (volunteer_id) DO UPDATE SET generation = calendar_links.generation + 1",
            (str(event.originator_id),),
        )
        return [f"volunteer:{event.originator_id}"]


def calendar_link_of(db: Database, volunteer_id: str) -> int:
    """Which link to the volunteer's calendar works (0: the first, never reset)."""
    rows = db.query(
        "SELECT generation FROM calendar_links WHERE volunteer_id = %s", (volunteer_id,)
    )
    return int(rows[0]["generation"]) if rows else 0


def lost_shifts_of(db: Database, volunteer_id: str) -> list[Row]:
    """The shifts the staff took the volunteer off, with why and their reason, latest first;
    not those the volunteer holds again (a sign-up leaves the loss where it was, unread)."""
    return db.query(
        f"SELECT {BOARD_COLUMNS}, l.why, l.reason, l.lost_at FROM lost_shifts l"
        " JOIN shift_board b ON b.shift_id = l.shift_id"
        " JOIN board_sites s ON s.site_id = b.site_id"
        " WHERE l.volunteer_id = %s AND NOT EXISTS (SELECT 1 FROM my_shifts m"
        " WHERE m.volunteer_id = l.volunteer_id AND m.shift_id = l.shift_id)"
        " ORDER BY l.lost_at DESC LIMIT 20",
        (volunteer_id,),
    )


def shifts_of(db: Database, volunteer_id: str) -> list[Row]:
    return db.query(
        f"SELECT {BOARD_COLUMNS} FROM my_shifts m"
        " JOIN shift_board b ON b.shift_id = m.shift_id"
        " JOIN board_sites s ON s.site_id = b.site_id"
        " WHERE m.volunteer_id = %s ORDER BY m.starts_at",
        (volunteer_id,),
    )


def shift_ids_of(db: Database, volunteer_id: str) -> set[str]:
    rows = db.query("SELECT shift_id FROM my_shifts WHERE volunteer_id = %s", (volunteer_id,))
    return {row["shift_id"] for row in rows}
