"""Queries of the stadium board: a packing site's day from the packing and attendance views."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from coordination.calendar import utc_text
from projections.database import Database, Row
from projections.packing_board import quarter_of

QUARTER = timedelta(minutes=15)


def find_packing_site(db: Database, site_id: str) -> Row | None:
    rows = db.query("SELECT * FROM packing_sites WHERE site_id = %s", (site_id,))
    if not rows:
        return None
    return {**rows[0], "box_template": json.loads(rows[0]["box_template"])}


def packing_sites(db: Database) -> list[Row]:
    return db.query("SELECT * FROM packing_sites ORDER BY governorate, name_en")


def lines_of(db: Database, site_id: str) -> list[Row]:
    return db.query(
        "SELECT * FROM packing_lines WHERE site_id = %s ORDER BY zone, name", (site_id,)
    )


def estimated_finish(packed: int, target: int, last_hour: int, now: datetime) -> datetime | None:
    """At the last hour's pace; None when the target is met or nothing moves."""
    if packed >= target or last_hour <= 0:
        return None
    return now + timedelta(hours=(target - packed) / last_hour)


def stadium_board(db: Database, site: Row, day: str, now: datetime) -> dict[str, Any]:
    site_id = site["site_id"]
    lines = lines_of(db, site_id)
    quarters = db.query(
        "SELECT line_id, quarter, boxes FROM box_quarters WHERE site_id = %s AND day = %s"
        " ORDER BY quarter",
        (site_id, day),
    )
    current, hour_ago = quarter_of(now), utc_text(now - timedelta(hours=1))
    for line in lines:
        mine = [q for q in quarters if q["line_id"] == line["line_id"]]
        line["boxes"] = sum(q["boxes"] for q in mine)
        line["this_quarter"] = sum(q["boxes"] for q in mine if q["quarter"] == current)
        line["quarter_target"] = line["hourly_target"] // 4
        line["behind"] = line["this_quarter"] < line["quarter_target"]
    packed = sum(q["boxes"] for q in quarters)
    last_hour = sum(q["boxes"] for q in quarters if q["quarter"] > hour_ago)
    moments = sorted({q["quarter"] for q in quarters})
    return {
        "site": site,
        "day": day,
        "lines": lines,
        "packed": packed,
        "target": site["daily_target"],
        "finish": estimated_finish(packed, site["daily_target"], last_hour, now),
        "chart": {
            "x": moments,
            "series": {
                "boxes": [sum(q["boxes"] for q in quarters if q["quarter"] == m) for m in moments],
                "target": [sum(line["quarter_target"] for line in lines)] * len(moments),
            },
        },
        "zones": zones_of(db, site_id, day, now),
        "short_shifts": short_shifts(db, site_id, now),
        "trucks": trucks_from(db, site_id, day),
        "on_hand": on_hand(db, site_id),
    }


def zones_of(db: Database, site_id: str, day: str, now: datetime) -> list[Row]:
    """The day's volunteers by zone, and those of a shift still under way that began the day
    before (a night shift does not leave the board at midnight)."""
    return db.query(
        "SELECT zone, COUNT(*) AS planned,"
        " SUM(CASE WHEN checked_in_at IS NOT NULL AND checked_out_at IS NULL THEN 1 ELSE 0 END)"
        " AS present FROM attendance WHERE site_id = %s AND zone IS NOT NULL AND (day = %s"
        " OR shift_id IN (SELECT shift_id FROM site_shifts WHERE site_id = %s"
        " AND starts_at <= %s AND ends_at > %s))"
        " GROUP BY zone ORDER BY zone",
        (site_id, day, site_id, utc_text(now), utc_text(now)),
    )


def short_shifts(db: Database, site_id: str, now: datetime) -> list[Row]:
    """Shifts under way (or starting within the hour) with fewer hands present than places,
    whichever day they began."""
    return db.query(
        "SELECT * FROM site_shifts WHERE site_id = %s AND ends_at > %s"
        " AND starts_at <= %s AND checked_in < capacity ORDER BY starts_at, role",
        (site_id, utc_text(now), utc_text(now + timedelta(hours=1))),
    )


def trucks_from(db: Database, site_id: str, day: str) -> list[Row]:
    return db.query(
        "SELECT * FROM truckloads WHERE from_site_id = %s AND day = %s ORDER BY dispatched_at DESC",
        (site_id, day),
    )


def box_batches_of(db: Database, site_id: str, day: str) -> list[Row]:
    """The day's box batches, newest first (to the microsecond: two of one second in the order
    they were logged), each with its line and, once corrected, when and why."""
    return db.query(
        "SELECT e.*, l.name AS line_name FROM box_entries e"
        " JOIN packing_lines l ON l.line_id = e.line_id WHERE e.site_id = %s AND e.day = %s"
        " ORDER BY e.logged_at DESC, COALESCE(e.logged_exactly, '') DESC",
        (site_id, day),
    )


def places_of(db: Database, site_id: str, day: str) -> list[Row]:
    """Who is placed where today: each placed volunteer with their line or zone, position,
    shift and whether they are on the floor, by line and zone."""
    return db.query(
        "SELECT a.volunteer_id, a.zone, a.position, a.line_id, a.checked_in_at,"
        " a.checked_out_at, l.name AS line_name, COALESCE(l.zone, a.zone) AS area,"
        " s.role, s.starts_at, s.ends_at, d.full_name_sealed FROM attendance a"
        " JOIN site_shifts s ON s.shift_id = a.shift_id"
        " LEFT JOIN packing_lines l ON l.line_id = a.line_id"
        " LEFT JOIN volunteer_directory d ON d.volunteer_id = a.volunteer_id"
        " WHERE a.site_id = %s AND a.day = %s AND (a.line_id IS NOT NULL OR a.zone IS NOT NULL)"
        " ORDER BY area, l.name, a.position, s.starts_at",
        (site_id, day),
    )


def on_hand(db: Database, site_id: str, item: str = "food_box") -> int:
    rows = db.query(
        "SELECT on_hand FROM site_stock WHERE site_id = %s AND item = %s", (site_id, item)
    )
    return rows[0]["on_hand"] if rows else 0


def shifts_of_site(db: Database, site_id: str, day: str) -> list[Row]:
    return db.query(
        "SELECT * FROM site_shifts WHERE site_id = %s AND day = %s ORDER BY starts_at, role",
        (site_id, day),
    )


def attendance_of(db: Database, site_id: str, day: str) -> list[Row]:
    """Each attendance row with its shift and the volunteer's sealed name."""
    return db.query(
        "SELECT a.*, s.role, s.starts_at, s.ends_at, d.full_name_sealed FROM attendance a"
        " JOIN site_shifts s ON s.shift_id = a.shift_id"
        " LEFT JOIN volunteer_directory d ON d.volunteer_id = a.volunteer_id"
        " WHERE a.site_id = %s AND a.day = %s ORDER BY a.checked_in_at",
        (site_id, day),
    )


def place_of(db: Database, volunteer_id: str) -> list[Row]:
    """The volunteer's attendance rows with their place and hours, newest first."""
    return db.query(
        "SELECT a.*, l.name AS line_name, s.role, s.starts_at, s.ends_at FROM attendance a"
        " JOIN site_shifts s ON s.shift_id = a.shift_id"
        " LEFT JOIN packing_lines l ON l.line_id = a.line_id"
        " WHERE a.volunteer_id = %s ORDER BY s.starts_at DESC",
        (volunteer_id,),
    )


def find_line(db: Database, line_id: str) -> Row | None:
    rows = db.query("SELECT * FROM packing_lines WHERE line_id = %s", (line_id,))
    return rows[0] if rows else None


def leads_line(db: Database, volunteer_id: str, line_id: str) -> str | None:
    """The shift on which the volunteer, checked in, leads the line now; None if none."""
    rows = db.query(
        "SELECT shift_id FROM attendance WHERE volunteer_id = %s AND line_id = %s"
        " AND position = 'line_lead' AND checked_in_at IS NOT NULL AND checked_out_at IS NULL",
        (volunteer_id, line_id),
    )
    return rows[0]["shift_id"] if rows else None


def boxes_per_quarter(db: Database, site_id: str, day: str) -> list[Row]:
    return db.query(
        "SELECT l.name AS line, l.zone, q.quarter, q.boxes FROM box_quarters q"
        " JOIN packing_lines l ON l.line_id = q.line_id"
        " WHERE q.site_id = %s AND q.day = %s ORDER BY l.name, q.quarter",
        (site_id, day),
    )


def shifts_awaiting_no_shows(db: Database, now: datetime) -> list[str]:
    """Ended shifts (in the last two days) where someone signed up neither came nor was marked."""
    rows = db.query(
        "SELECT shift_id FROM site_shifts WHERE ends_at <= %s AND ends_at > %s"
        " AND signed_up > checked_in + no_shows",
        (utc_text(now), utc_text(now - timedelta(days=2))),
    )
    return [row["shift_id"] for row in rows]


def stock_of_site(db: Database, site_id: str) -> list[Row]:
    """Each item the site has held: packed, received from outside, sent and on hand."""
    return db.query("SELECT * FROM site_stock WHERE site_id = %s ORDER BY item", (site_id,))
