"""Training sessions by programme: places, organiser, who enrolled and who attended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coordination.calendar import utc_text
from coordination.training import TrainingSession
from projections.database import Cursor, Database, Row
from projections.projection import Projection, handles

VIEW = "training"


class Training(Projection):
    name = VIEW
    tables = ("training_sessions", "training_enrolments")

    @handles(TrainingSession.Scheduled)
    def scheduled(self, cursor: Cursor, event: Any) -> list[str]:
        organiser = getattr(event, "organiser", None)  # None: scheduled before it was kept
        cursor.execute(
            "INSERT INTO training_sessions (session_id, programme, starts_at, place, capacity,"
            " organiser) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (session_id) DO NOTHING",
            (
                str(event.originator_id),
                event.programme,
                utc_text(event.starts_at),
                event.place,
                event.capacity,
                str(organiser) if organiser else None,
            ),
        )
        return ["training"]

    @handles(TrainingSession.Enrolled)
    def enrolled(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO training_enrolments (session_id, volunteer_id, enrolled_at)"
            " VALUES (%s, %s, %s)",
            (str(event.originator_id), str(event.volunteer_id), utc_text(event.timestamp)),
        )
        self._count(cursor, event, "enrolled")
        return ["training", f"training:{event.originator_id}"]

    @handles(TrainingSession.Attended)
    def attended(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE training_enrolments SET attended_at = %s"
            " WHERE session_id = %s AND volunteer_id = %s",
            (utc_text(event.timestamp), str(event.originator_id), str(event.volunteer_id)),
        )
        self._count(cursor, event, "attended")
        return [f"training:{event.originator_id}"]

    def _count(self, cursor: Cursor, event: Any, column: str) -> None:
        cursor.execute(
            f"UPDATE training_sessions SET {column} = {column} + 1 WHERE session_id = %s",
            (str(event.originator_id),),
        )


def upcoming_sessions(db: Database, now: datetime, programme: str | None = None) -> list[Row]:
    where, params = ("AND programme = %s", [programme]) if programme else ("", [])
    return db.query(
        f"SELECT * FROM training_sessions WHERE starts_at > %s {where} ORDER BY starts_at, place",
        (utc_text(now), *params),
    )


def find_session(db: Database, session_id: str) -> Row | None:
    rows = db.query("SELECT * FROM training_sessions WHERE session_id = %s", (session_id,))
    return rows[0] if rows else None


def enrolments_of(db: Database, session_id: str) -> list[Row]:
    """Who enrolled, with their sealed names, and when they attended (None: not yet)."""
    return db.query(
        "SELECT e.*, d.full_name_sealed FROM training_enrolments e"
        " LEFT JOIN volunteer_directory d ON d.volunteer_id = e.volunteer_id"
        " WHERE e.session_id = %s ORDER BY e.enrolled_at",
        (session_id,),
    )


def sessions_of_volunteer(db: Database, volunteer_id: str) -> set[str]:
    rows = db.query(
        "SELECT session_id FROM training_enrolments WHERE volunteer_id = %s", (volunteer_id,)
    )
    return {row["session_id"] for row in rows}
