"""Each site's desk devices, whether their tokens still work (never the secrets), and when
each last scanned a badge in."""

from __future__ import annotations

from typing import Any

from coordination.attendance import Attendance
from coordination.calendar import utc_text
from coordination.device_token import DeviceToken
from projections.database import Cursor, Database, Row
from projections.projection import Projection, handles

VIEW = "device_tokens"


class DeviceTokens(Projection):
    name = VIEW
    tables = ("device_tokens",)

    @handles(DeviceToken.Issued)
    def issued(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO device_tokens (token_id, site_id, label, issued_at, revoked)"
            " VALUES (%s, %s, %s, %s, 0) ON CONFLICT (token_id) DO NOTHING",
            (str(event.originator_id), str(event.site_id), event.label, utc_text(event.timestamp)),
        )
        return [f"site:{event.site_id}"]

    @handles(DeviceToken.Revoked)
    def revoked(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE device_tokens SET revoked = 1 WHERE token_id = %s", (str(event.originator_id),)
        )
        return [f"device:{event.originator_id}"]

    @handles(Attendance.CheckedIn)
    def scanned(self, cursor: Cursor, event: Any) -> list[str]:
        """The desk's latest scan (an offline desk's scans may arrive out of order)."""
        if event.device_id is None:
            return []
        at = utc_text(event.at)
        cursor.execute(
            "UPDATE device_tokens SET last_scan_at = %s WHERE token_id = %s"
            " AND (last_scan_at IS NULL OR last_scan_at < %s)",
            (at, str(event.device_id), at),
        )
        return []


def device_label(db: Database, token_id: str) -> str:
    """The name the manager gave a desk when issuing its card ("Gate 1")."""
    rows = db.query("SELECT label FROM device_tokens WHERE token_id = %s", (token_id,))
    return str(rows[0]["label"] or "") if rows else ""


def devices_of_site(db: Database, site_id: str) -> list[Row]:
    return db.query("SELECT * FROM device_tokens WHERE site_id = %s ORDER BY issued_at", (site_id,))
