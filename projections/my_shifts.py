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
    tables = ("my_shifts",)

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
