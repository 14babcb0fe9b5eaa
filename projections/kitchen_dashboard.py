"""The kitchens' dashboards: meals cooked, served and discarded per kitchen and day."""

from __future__ import annotations

from typing import Any

from coordination.calendar import local_day, utc_text
from coordination.governorates import get_governorate
from coordination.meal_batch import MealBatch
from coordination.site import Site, SiteKind
from projections.database import Cursor, Database, Row
from projections.projection import Projection, handles

VIEW = "kitchen_dashboard"
COUNTS = ("cooked", "served", "discarded", "late_served", "held_too_long")


def keys_for(kitchen_id: str, governorate: str) -> list[str]:
    return [f"kitchen:{kitchen_id}", f"governorate:{governorate}", "national"]


class KitchenDashboard(Projection):
    name = VIEW
    tables = ("kitchens", "meal_batches", "meal_entries", "kitchen_days")

    @handles(Site.Opened)
    def site_opened(self, cursor: Cursor, event: Any) -> list[str]:
        if event.kind != SiteKind.KITCHEN:
            return []
        capital = get_governorate(event.governorate)
        cursor.execute(
            "INSERT INTO kitchens (kitchen_id, governorate, name_ar, name_en, daily_target,"
            " latitude, longitude) VALUES (%s, %s, %s, %s, 0, %s, %s)"
            " ON CONFLICT (kitchen_id) DO NOTHING",
            (
                str(event.originator_id),
                event.governorate,
                event.name_ar,
                event.name_en,
                capital.latitude,
                capital.longitude,
            ),
        )
        return keys_for(str(event.originator_id), event.governorate)

    @handles(Site.Renamed)
    def site_renamed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE kitchens SET name_ar = %s, name_en = %s WHERE kitchen_id = %s",
            (event.name_ar, event.name_en, str(event.originator_id)),
        )
        return [f"kitchen:{event.originator_id}", "national"]

    @handles(Site.Located)
    def site_located(self, cursor: Cursor, event: Any) -> list[str]:
        """Moved on the admin pages: the kitchen's iftar time follows its place."""
        cursor.execute(
            "UPDATE kitchens SET latitude = %s, longitude = %s WHERE kitchen_id = %s",
            (event.latitude, event.longitude, str(event.originator_id)),
        )
        return [f"kitchen:{event.originator_id}", "national"]

    @handles(Site.KitchenConfigured)
    def configured(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE kitchens SET daily_target = %s, latitude = %s, longitude = %s"
            " WHERE kitchen_id = %s",
            (event.daily_meal_target, event.latitude, event.longitude, str(event.originator_id)),
        )
        return [f"kitchen:{event.originator_id}", "national"]

    @handles(MealBatch.Cooked)
    def cooked(self, cursor: Cursor, event: Any) -> list[str]:
        kitchen, day = str(event.kitchen_id), local_day(event.cooked_at).isoformat()
        cursor.execute(
            "INSERT INTO meal_batches (batch_id, kitchen_id, governorate, day, dish, cooked,"
            " cooked_at, iftar_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                kitchen,
                event.governorate,
                day,
                event.dish,
                event.count,
                utc_text(event.cooked_at),
                utc_text(event.iftar_at),
            ),
        )
        self._add_to_day(cursor, kitchen, day, event.governorate, cooked=event.count)
        return keys_for(kitchen, event.governorate)

    @handles(MealBatch.Served)
    def served(self, cursor: Cursor, event: Any) -> list[str]:
        change = {
            "served": event.count,
            "late_served": event.count if event.after_sunset else 0,
            "held_too_long": event.count if event.past_hold_time else 0,
        }
        return self._entry(cursor, event, "served", change)

    @handles(MealBatch.Discarded)
    def discarded(self, cursor: Cursor, event: Any) -> list[str]:
        return self._entry(cursor, event, "discarded", {"discarded": event.count})

    @handles(MealBatch.EntryReversed)
    def reversed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "SELECT kind, count, late_served, held_too_long FROM meal_entries"
            " WHERE batch_id = %s AND entry_key = %s",
            (str(event.originator_id), event.entry_key),
        )
        entry = cursor.fetchone()
        cursor.execute(
            "UPDATE meal_entries SET reversed_at = %s, reason = %s"
            " WHERE batch_id = %s AND entry_key = %s",
            (utc_text(event.timestamp), event.reason, str(event.originator_id), event.entry_key),
        )
        change = {
            entry["kind"]: -entry["count"],
            "late_served": -entry["late_served"],
            "held_too_long": -entry["held_too_long"],
        }
        return self._apply(cursor, str(event.originator_id), change)

    def _entry(self, cursor: Cursor, event: Any, kind: str, change: dict[str, int]) -> list[str]:
        cursor.execute(
            "INSERT INTO meal_entries (batch_id, entry_key, kind, count, late_served,"
            " held_too_long, logged_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                event.key,
                kind,
                event.count,
                change.get("late_served", 0),
                change.get("held_too_long", 0),
                utc_text(getattr(event, "served_at", None) or event.timestamp),
            ),
        )
        return self._apply(cursor, str(event.originator_id), change)

    def _apply(self, cursor: Cursor, batch_id: str, change: dict[str, int]) -> list[str]:
        assignments = ", ".join(f"{column} = {column} + %s" for column in change)
        cursor.execute(
            f"UPDATE meal_batches SET {assignments} WHERE batch_id = %s",
            (*change.values(), batch_id),
        )
        cursor.execute(
            "SELECT kitchen_id, day, governorate FROM meal_batches WHERE batch_id = %s",
            (batch_id,),
        )
        batch = cursor.fetchone()
        self._add_to_day(cursor, batch["kitchen_id"], batch["day"], batch["governorate"], **change)
        return keys_for(batch["kitchen_id"], batch["governorate"])

    def _add_to_day(
        self, cursor: Cursor, kitchen: str, day: str, governorate: str, **change: int
    ) -> None:
        values = [change.get(column, 0) for column in COUNTS]
        cursor.execute(
            f"INSERT INTO kitchen_days (kitchen_id, day, governorate, {', '.join(COUNTS)})"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (kitchen_id, day) DO UPDATE SET "
            + ", ".join(f"{c} = kitchen_days.{c} + excluded.{c}" for c in COUNTS),
            (kitchen, day, governorate, *values),
        )


def find_kitchen(db: Database, kitchen_id: str) -> Row | None:
    rows = db.query("SELECT * FROM kitchens WHERE kitchen_id = %s", (kitchen_id,))
    return rows[0] if rows else None


def kitchen_day(db: Database, kitchen_id: str, day: str) -> Row:
    rows = db.query(
        "SELECT * FROM kitchen_days WHERE kitchen_id = %s AND day = %s", (kitchen_id, day)
    )
    return rows[0] if rows else dict.fromkeys(COUNTS, 0)


def batches_of(db: Database, kitchen_id: str, day: str) -> list[Row]:
    return db.query(
        "SELECT * FROM meal_batches WHERE kitchen_id = %s AND day = %s ORDER BY cooked_at",
        (kitchen_id, day),
    )


def entries_of(db: Database, kitchen_id: str, day: str) -> list[Row]:
    """The served and discarded entries of the day's batches, newest first, each with its
    dish and, once corrected, when and why."""
    return db.query(
        "SELECT e.*, b.dish FROM meal_entries e JOIN meal_batches b ON b.batch_id = e.batch_id"
        " WHERE b.kitchen_id = %s AND b.day = %s ORDER BY e.logged_at DESC, e.entry_key",
        (kitchen_id, day),
    )


def kitchens_on(db: Database, day: str, governorate: str | None = None) -> list[Row]:
    """Each kitchen with its totals on the day (zeros where it logged nothing)."""
    where, params = ("WHERE k.governorate = %s", [governorate]) if governorate else ("", [])
    totals = ", ".join(f"COALESCE(d.{c}, 0) AS {c}" for c in COUNTS)
    return db.query(
        f"SELECT k.*, {totals} FROM kitchens k LEFT JOIN kitchen_days d"
        f" ON d.kitchen_id = k.kitchen_id AND d.day = %s {where}"
        " ORDER BY k.governorate, k.name_en",
        (day, *params),
    )


def meals_per_day(db: Database, governorate: str | None = None) -> list[Row]:
    where, params = ("WHERE governorate = %s", (governorate,)) if governorate else ("", ())
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COUNTS)
    return db.query(
        f"SELECT day, {sums} FROM kitchen_days {where} GROUP BY day ORDER BY day", params
    )


def governorates_on(db: Database, day: str) -> list[Row]:
    sums = ", ".join(f"SUM(COALESCE(d.{c}, 0)) AS {c}" for c in COUNTS)
    return db.query(
        f"SELECT k.governorate, COUNT(DISTINCT k.kitchen_id) AS kitchens,"
        f" SUM(k.daily_target) AS daily_target, {sums} FROM kitchens k"
        " LEFT JOIN kitchen_days d ON d.kitchen_id = k.kitchen_id AND d.day = %s"
        " GROUP BY k.governorate ORDER BY k.governorate",
        (day,),
    )
