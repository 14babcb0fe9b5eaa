"""Distribution: rounds, households and hand-offs; the governorate boards and national overview."""

from __future__ import annotations

import json
from typing import Any

from coordination.calendar import local_day, utc_text
from coordination.campaign_round import CampaignRound
from coordination.governorates import GOVERNORATES
from coordination.household import Household
from projections.database import Cursor, Database, Row
from projections.projection import Projection, handles

VIEW = "distribution"


class Distribution(Projection):
    name = VIEW
    tables = ("rounds", "households", "handoffs")

    @handles(CampaignRound.Opened)
    def round_opened(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO rounds (round_id, slug, name_ar, name_en, target, allowances, opened_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                event.slug,
                event.name_ar,
                event.name_en,
                event.target,
                json.dumps(event.allowances),
                utc_text(event.timestamp),
            ),
        )
        return ["national"]

    @handles(Household.Registered)
    def registered(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO households (household_id, governorate, size, last_four)"
            " VALUES (%s, %s, %s, %s)",
            (str(event.originator_id), event.governorate, event.size, event.last_four),
        )
        return [f"governorate:{event.governorate}", "national"]

    @handles(Household.Received)
    def received(self, cursor: Cursor, event: Any) -> list[str]:
        governorate = event.point_governorate
        cursor.execute(
            "INSERT INTO handoffs (household_id, entry_key, round_id, point_id, governorate,"
            " item, count, at, day) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                event.key,
                str(event.round_id),
                str(event.point_id),
                governorate,
                event.item,
                event.count,
                utc_text(event.at),
                local_day(event.at).isoformat(),
            ),
        )
        return [f"point:{event.point_id}", f"governorate:{governorate}", "national"]


def current_round(db: Database) -> Row | None:
    rows = db.query("SELECT * FROM rounds ORDER BY opened_at DESC, slug DESC LIMIT 1")
    return {**rows[0], "allowances": json.loads(rows[0]["allowances"])} if rows else None


def national_overview(db: Database, round_id: str) -> list[Row]:
    """Every governorate: households registered and served, boxes handed out, points, meals."""
    served = {
        row["governorate"]: row
        for row in db.query(
            "SELECT governorate, COUNT(DISTINCT household_id) AS households_served,"
            " SUM(CASE WHEN item = 'food_box' THEN count ELSE 0 END) AS boxes"
            " FROM handoffs WHERE round_id = %s GROUP BY governorate",
            (round_id,),
        )
    }
    registered = _counts(
        db, "SELECT governorate, COUNT(*) AS n FROM households GROUP BY governorate"
    )
    sites = _counts(db, "SELECT governorate, COUNT(*) AS n FROM board_sites GROUP BY governorate")
    packed = _counts(
        db, "SELECT governorate, SUM(packed) AS n FROM site_stock GROUP BY governorate"
    )
    return [
        {
            "code": governorate.code,
            "registered": registered.get(governorate.code, 0),
            "households_served": served.get(governorate.code, {}).get("households_served") or 0,
            "boxes": served.get(governorate.code, {}).get("boxes") or 0,
            "packed": packed.get(governorate.code, 0),
            "active": sites.get(governorate.code, 0) > 0,
        }
        for governorate in GOVERNORATES
    ]


def points_of(db: Database, governorate: str, round_id: str) -> list[Row]:
    return db.query(
        "SELECT s.site_id, s.name_ar, s.name_en,"
        " COALESCE(k.received, 0) AS received, COALESCE(k.handed_out, 0) AS handed_out,"
        " COALESCE(k.on_hand, 0) AS on_hand,"
        " (SELECT COUNT(DISTINCT h.household_id) FROM handoffs h"
        "  WHERE h.point_id = s.site_id AND h.round_id = %s) AS households_served,"
        " (SELECT COUNT(*) FROM attendance a WHERE a.site_id = s.site_id"
        "  AND a.checked_in_at IS NOT NULL AND a.checked_out_at IS NULL) AS on_duty"
        " FROM board_sites s LEFT JOIN site_stock k"
        " ON k.site_id = s.site_id AND k.item = 'food_box'"
        " WHERE s.governorate = %s AND s.kind = 'distribution_point' ORDER BY s.name_en",
        (round_id, governorate),
    )


def handed_items(db: Database, point_id: str, round_id: str) -> list[Row]:
    return db.query(
        "SELECT item, SUM(count) AS count FROM handoffs WHERE point_id = %s AND round_id = %s"
        " GROUP BY item ORDER BY item",
        (point_id, round_id),
    )


def incoming_trucks(db: Database, point_id: str) -> list[Row]:
    return db.query(
        "SELECT * FROM truckloads WHERE to_point_id = %s ORDER BY dispatched_at DESC",
        (point_id,),
    )


def _counts(db: Database, sql: str) -> dict[str, int]:
    return {row["governorate"]: int(row["n"] or 0) for row in db.query(sql)}
