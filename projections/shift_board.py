"""The shift board: every shift with its site, capacity and places taken."""

from __future__ import annotations

from typing import Any

from coordination.calendar import local_day, utc_text
from coordination.shift import Shift
from coordination.site import Site
from projections.database import Cursor, Database, Row
from projections.projection import Projection, handles

VIEW = "shift_board"


class ShiftBoard(Projection):
    name = VIEW
    tables = ("board_sites", "shift_board")

    @handles(Site.Opened)
    def site_opened(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO board_sites (site_id, slug, kind, governorate, name_ar, name_en) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (site_id) DO NOTHING",
            (
                str(event.originator_id),
                event.slug,
                event.kind,
                event.governorate,
                event.name_ar,
                event.name_en,
            ),
        )
        return [f"site:{event.originator_id}"]

    @handles(Site.Renamed)
    def site_renamed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE board_sites SET name_ar = %s, name_en = %s WHERE site_id = %s",
            (event.name_ar, event.name_en, str(event.originator_id)),
        )
        return [f"site:{event.originator_id}"]

    @handles(Shift.Scheduled)
    def shift_scheduled(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO shift_board (shift_id, site_id, governorate, role, starts_at, ends_at,"
            " day, capacity, taken) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0)"
            " ON CONFLICT (shift_id) DO NOTHING",
            (
                str(event.originator_id),
                str(event.site_id),
                event.governorate,
                event.role,
                utc_text(event.starts_at),
                utc_text(event.ends_at),
                local_day(event.starts_at).isoformat(),
                event.capacity,
            ),
        )
        return [f"shift:{event.originator_id}"]

    @handles(Shift.SignedUp)
    def signed_up(self, cursor: Cursor, event: Any) -> list[str]:
        return self._count(cursor, event, +1)

    @handles(Shift.PromotedFromWaitlist)
    def promoted(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE shift_board SET taken = taken + 1, waiting = waiting - 1 WHERE shift_id = %s",
            (str(event.originator_id),),
        )
        return [f"shift:{event.originator_id}"]

    @handles(Shift.WaitlistJoined)
    def waitlist_joined(self, cursor: Cursor, event: Any) -> list[str]:
        return self._waiting(cursor, event, +1)

    @handles(Shift.WaitlistLeft)
    def waitlist_left(self, cursor: Cursor, event: Any) -> list[str]:
        return self._waiting(cursor, event, -1)

    @handles(Shift.Withdrawn)
    def withdrawn(self, cursor: Cursor, event: Any) -> list[str]:
        return self._count(cursor, event, -1)

    @handles(Shift.VolunteerRemoved)
    def volunteer_removed(self, cursor: Cursor, event: Any) -> list[str]:
        return self._count(cursor, event, -1)

    @handles(Shift.Rescheduled)
    def rescheduled(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE shift_board SET starts_at = %s, ends_at = %s, day = %s, capacity = %s"
            " WHERE shift_id = %s",
            (
                utc_text(event.starts_at),
                utc_text(event.ends_at),
                local_day(event.starts_at).isoformat(),
                event.capacity,
                str(event.originator_id),
            ),
        )
        return [f"shift:{event.originator_id}"]

    @handles(Shift.Cancelled)
    def cancelled(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE shift_board SET taken = 0, waiting = 0, cancelled_reason = %s"
            " WHERE shift_id = %s",
            (event.reason, str(event.originator_id)),
        )
        return [f"shift:{event.originator_id}"]

    def _waiting(self, cursor: Cursor, event: Any, change: int) -> list[str]:
        cursor.execute(
            "UPDATE shift_board SET waiting = waiting + %s WHERE shift_id = %s",
            (change, str(event.originator_id)),
        )
        return [f"shift:{event.originator_id}"]

    def _count(self, cursor: Cursor, event: Any, change: int) -> list[str]:
        cursor.execute(
            "UPDATE shift_board SET taken = taken + %s WHERE shift_id = %s",
            (change, str(event.originator_id)),
        )
        return [f"shift:{event.originator_id}"]


BOARD_COLUMNS = (
    "b.shift_id, b.site_id, b.governorate, b.role, b.starts_at, b.ends_at, b.day,"
    " b.capacity, b.taken, b.waiting, b.cancelled_reason, s.kind AS site_kind,"
    " s.name_ar AS site_name_ar, s.name_en AS site_name_en"
)


def find_shifts(
    db: Database,
    *,
    governorate: str | None = None,
    site_id: str | None = None,
    day: str | None = None,
    limit: int = 200,
    offset: int = 0,
    with_cancelled: bool = False,
) -> list[Row]:
    conditions: list[str] = [] if with_cancelled else ["b.cancelled_reason IS NULL"]
    params = []
    for column, value in (("b.governorate", governorate), ("b.site_id", site_id), ("b.day", day)):
        if value:
            conditions.append(f"{column} = %s")
            params.append(value)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return db.query(
        f"SELECT {BOARD_COLUMNS} FROM shift_board b JOIN board_sites s ON s.site_id = b.site_id"
        f" {where} ORDER BY b.starts_at, s.name_en, b.role, b.shift_id LIMIT %s OFFSET %s",
        (*params, limit, max(offset, 0)),
    )


def get_shift(db: Database, shift_id: str) -> Row | None:
    rows = db.query(
        f"SELECT {BOARD_COLUMNS} FROM shift_board b JOIN board_sites s ON s.site_id = b.site_id"
        " WHERE b.shift_id = %s",
        (shift_id,),
    )
    return rows[0] if rows else None


def list_sites(db: Database, governorate: str | None = None) -> list[Row]:
    if governorate:
        return db.query(
            "SELECT * FROM board_sites WHERE governorate = %s ORDER BY name_en", (governorate,)
        )
    return db.query("SELECT * FROM board_sites ORDER BY governorate, name_en")


def list_days(db: Database) -> list[str]:
    return [row["day"] for row in db.query("SELECT DISTINCT day FROM shift_board ORDER BY day")]


def list_governorates(db: Database) -> list[str]:
    rows = db.query("SELECT DISTINCT governorate FROM board_sites ORDER BY governorate")
    return [row["governorate"] for row in rows]


def find_site(db: Database, site_id: str) -> Row | None:
    rows = db.query("SELECT * FROM board_sites WHERE site_id = %s", (site_id,))
    return rows[0] if rows else None


def days_of_site(db: Database, site_id: str) -> list[str]:
    rows = db.query(
        "SELECT DISTINCT day FROM shift_board WHERE site_id = %s ORDER BY day", (site_id,)
    )
    return [row["day"] for row in rows]
