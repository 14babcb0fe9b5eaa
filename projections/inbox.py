"""Each volunteer's in-app inbox: a message for each event that concerns them, at most one
per event and recipient (keyed so), so a rebuild gives the same inbox and never a second."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from coordination.attendance import Attendance
from coordination.shift import Shift
from coordination.volunteer import Volunteer
from projections.database import Cursor, Database, Row
from projections.projection import Projection, handles

VIEW = "inbox"
PAGE = 50


class Inbox(Projection):
    name = VIEW
    tables = ("inbox_messages", "inbox_attendances", "inbox_waiting")

    @handles(Shift.SignedUp)
    def signed_up(self, cursor: Cursor, event: Any) -> list[str]:
        if str(event.idempotency_key).startswith("moved:"):  # told by the move itself
            return []
        return self._tell(cursor, event, event.volunteer_id, "signed_up", event.originator_id)

    @handles(Shift.PromotedFromWaitlist)
    def promoted(self, cursor: Cursor, event: Any) -> list[str]:
        self.waitlist_left(cursor, event)
        return self._tell(cursor, event, event.volunteer_id, "promoted", event.originator_id)

    @handles(Shift.WaitlistJoined)
    def waitlist_joined(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO inbox_waiting (shift_id, volunteer_id) VALUES (%s, %s)"
            " ON CONFLICT (shift_id, volunteer_id) DO NOTHING",
            (str(event.originator_id), str(event.volunteer_id)),
        )
        return []

    @handles(Shift.WaitlistLeft)
    def waitlist_left(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "DELETE FROM inbox_waiting WHERE shift_id = %s AND volunteer_id = %s",
            (str(event.originator_id), str(event.volunteer_id)),
        )
        return []

    @handles(Shift.Cancelled)
    def cancelled(self, cursor: Cursor, event: Any) -> list[str]:
        """Those on the shift hear of it from their own ShiftLost; those waiting from here."""
        shift_id = str(event.originator_id)
        cursor.execute("SELECT volunteer_id FROM inbox_waiting WHERE shift_id = %s", (shift_id,))
        waiting = [row["volunteer_id"] for row in cursor.fetchall()]
        cursor.execute("DELETE FROM inbox_waiting WHERE shift_id = %s", (shift_id,))
        keys: list[str] = []
        for volunteer_id in waiting:
            keys += self._tell(
                cursor, event, volunteer_id, "waitlist_cancelled", shift_id, event.reason
            )
        return keys

    @handles(Volunteer.ShiftRetimed)
    def retimed(self, cursor: Cursor, event: Any) -> list[str]:
        return self._tell(cursor, event, event.originator_id, "retimed", event.shift_id)

    @handles(Volunteer.ShiftLost)
    def lost(self, cursor: Cursor, event: Any) -> list[str]:
        kind = f"lost_{event.why}"
        return self._tell(cursor, event, event.originator_id, kind, event.shift_id, event.reason)

    @handles(Attendance.Opened)
    def attendance_opened(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO inbox_attendances (attendance_id, volunteer_id, shift_id)"
            " VALUES (%s, %s, %s) ON CONFLICT (attendance_id) DO NOTHING",
            (str(event.originator_id), str(event.volunteer_id), str(event.shift_id)),
        )
        return []

    @handles(Attendance.Assigned)
    def placed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "SELECT volunteer_id, shift_id FROM inbox_attendances WHERE attendance_id = %s",
            (str(event.originator_id),),
        )
        row = cursor.fetchone()
        if row is None:
            return []
        place = f"{event.zone}|{event.position}"
        return self._tell(cursor, event, row["volunteer_id"], "placed", row["shift_id"], place)

    @handles(Volunteer.InboxRead)
    def read(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE inbox_messages SET read_at = %s"
            " WHERE recipient_id = %s AND read_at IS NULL AND sent_at <= %s",
            (moment(event.timestamp), str(event.originator_id), moment(event.timestamp)),
        )
        return [f"inbox:{event.originator_id}"]

    @staticmethod
    def _tell(
        cursor: Cursor,
        event: Any,
        recipient: Any,
        kind: str,
        shift_id: Any,
        detail: str = "",
    ) -> list[str]:
        cursor.execute(
            "INSERT INTO inbox_messages (event_key, recipient_id, kind, shift_id, detail, sent_at)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (event_key, recipient_id) DO NOTHING",
            (
                f"{event.originator_id}:{event.originator_version}",
                str(recipient),
                kind,
                str(shift_id),
                detail,
                moment(event.timestamp),
            ),
        )
        return [f"inbox:{recipient}"]


def moment(at: datetime) -> str:
    """Sortable to the microsecond: a volunteer's messages keep the order of their events."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def unread_count(db: Database, volunteer_id: str) -> int:
    rows = db.query(
        "SELECT COUNT(*) AS unread FROM inbox_messages WHERE recipient_id = %s AND read_at IS NULL",
        (volunteer_id,),
    )
    return int(rows[0]["unread"]) if rows else 0


def messages_of(db: Database, volunteer_id: str, limit: int = PAGE) -> list[Row]:
    """Newest first, each with its shift's site and times as the board has them now."""
    return db.query(
        "SELECT m.event_key, m.kind, m.shift_id, m.detail, m.sent_at, m.read_at,"
        " b.role, b.day, b.starts_at, b.ends_at,"
        " s.name_ar AS site_name_ar, s.name_en AS site_name_en"
        " FROM inbox_messages m LEFT JOIN shift_board b ON b.shift_id = m.shift_id"
        " LEFT JOIN board_sites s ON s.site_id = b.site_id"
        " WHERE m.recipient_id = %s ORDER BY m.sent_at DESC, m.event_key DESC LIMIT %s",
        (volunteer_id, limit),
    )


def told(db: Database, kind: str) -> list[Row]:
    """Every message of a kind, for checks across recipients."""
    return db.query(
        "SELECT recipient_id, event_key, shift_id FROM inbox_messages WHERE kind = %s", (kind,)
    )
