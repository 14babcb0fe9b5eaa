"""The member associations, for choosing a home association and for rosters."""

from __future__ import annotations

from typing import Any

from coordination.association import Association
from projections.database import Cursor, Database, Row
from projections.projection import Projection, handles

VIEW = "associations"


class Associations(Projection):
    name = VIEW
    tables = ("associations",)

    @handles(Association.Founded)
    def founded(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO associations (association_id, slug, name_ar, name_en, governorate)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (association_id) DO NOTHING",
            (str(event.originator_id), event.slug, event.name_ar, event.name_en, event.governorate),
        )
        return [f"association:{event.originator_id}"]

    @handles(Association.Renamed)
    def renamed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE associations SET name_ar = %s, name_en = %s WHERE association_id = %s",
            (event.name_ar, event.name_en, str(event.originator_id)),
        )
        return [f"association:{event.originator_id}"]

    @handles(Association.Classified)
    def classified(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE associations SET kind = %s WHERE association_id = %s",
            (event.kind, str(event.originator_id)),
        )
        return [f"association:{event.originator_id}"]


def list_associations(db: Database) -> list[Row]:
    return db.query("SELECT * FROM associations ORDER BY governorate, name_en")


def find_association(db: Database, association_id: str) -> Row | None:
    rows = db.query("SELECT * FROM associations WHERE association_id = %s", (association_id,))
    return rows[0] if rows else None
