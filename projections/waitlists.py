"""Who waits for a place on each full shift, in order: a volunteer's position and a shift's
waitlist length."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from coordination.calendar import utc_text
from coordination.shift import Shift
from projections.database import Cursor, Database, Row
from projections.projection import Projection, handles
from projections.shift_board import BOARD_COLUMNS

VIEW = "waitlists"


class Waitlists(Projection):
    name = VIEW
    tables = ("shift_waitlist",)

    @handles(Shift.WaitlistJoined)
    def joined(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO shift_waitlist (shift_id, volunteer_id, seq, joined_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (shift_id, volunteer_id) DO NOTHING",
            (
                str(event.originator_id),
                str(event.volunteer_id),
                event.originator_version,
                utc_text(event.timestamp),
            ),
        )
        return _keys(event)

    @handles(Shift.WaitlistLeft)
    @handles(Shift.PromotedFromWaitlist)
    def left(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "DELETE FROM shift_waitlist WHERE shift_id = %s AND volunteer_id = %s",
            (str(event.originator_id), str(event.volunteer_id)),
        )
        return _keys(event)

    @handles(Shift.Cancelled)
    def cancelled(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "DELETE FROM shift_waitlist WHERE shift_id = %s", (str(event.originator_id),)
        )
        return [f"shift:{event.originator_id}"]


def _keys(event: Any) -> list[str]:
    return [f"shift:{event.originator_id}", f"volunteer:{event.volunteer_id}"]


def waiting_counts(db: Database, shift_ids: list[str]) -> dict[str, int]:
    """How many wait for each of these shifts (absent: nobody)."""
    if not shift_ids:
        return {}
    marks = ", ".join(["%s"] * len(shift_ids))
    rows = db.query(
        "SELECT shift_id, COUNT(*) AS waiting FROM shift_waitlist"
        f" WHERE shift_id IN ({marks}) GROUP BY shift_id",  # noqa: S608 - placeholders only
        shift_ids,
    )
    return {row["shift_id"]: row["waiting"] for row in rows}


def positions_of(db: Database, volunteer_id: str) -> dict[str, int]:
    """The shifts a volunteer waits for, each with their place in its line (1 is next)."""
    rows = db.query(
        "SELECT w.shift_id, (SELECT COUNT(*) FROM shift_waitlist o WHERE o.shift_id = w.shift_id"
        " AND o.seq <= w.seq) AS position FROM shift_waitlist w WHERE w.volunteer_id = %s",
        (volunteer_id,),
    )
    return {row["shift_id"]: row["position"] for row in rows}


def waiting_order(db: Database, shift_id: str) -> list[str]:
    rows = db.query(
        "SELECT volunteer_id FROM shift_waitlist WHERE shift_id = %s ORDER BY seq", (shift_id,)
    )
    return [row["volunteer_id"] for row in rows]


def waited_shifts_of(db: Database, volunteer_id: str) -> list[Row]:
    """The shifts a volunteer waits for, as the board shows them, soonest first."""
    return db.query(
        f"SELECT {BOARD_COLUMNS} FROM shift_waitlist w"  # noqa: S608 - a constant's columns
        " JOIN shift_board b ON b.shift_id = w.shift_id"
        " JOIN board_sites s ON s.site_id = b.site_id"
        " WHERE w.volunteer_id = %s ORDER BY b.starts_at",
        (volunteer_id,),
    )


def waited_for_under_way(db: Database, now: datetime) -> list[str]:
    """Shifts half an hour or more under way with someone waiting (the round only proposes:
    each shift decides whether anyone has not come)."""
    rows = db.query(
        "SELECT shift_id FROM shift_board WHERE waiting > 0 AND starts_at <= %s AND ends_at > %s"
        " AND cancelled_reason IS NULL",
        (utc_text(now - timedelta(minutes=30)), utc_text(now)),
    )
    return [row["shift_id"] for row in rows]
