"""The campaign administration's read model: sites, associations, rounds, staff accounts and
their roles, as the national admin and governorate coordinators list and pick them."""

from __future__ import annotations

import json
from typing import Any

from coordination.account import Account
from coordination.association import Association
from coordination.campaign_round import CampaignRound
from coordination.site import Site
from coordination.volunteer import Volunteer
from projections.database import Cursor, Database, Row
from projections.personal import Sealer
from projections.projection import Projection, handles

VIEW = "campaign_admin"
SEARCH_LIMIT = 50


class CampaignAdmin(Projection):
    name = VIEW
    tables = ("admin_sites", "admin_associations", "admin_rounds", "admin_accounts", "admin_grants")

    def __init__(self, sealer: Sealer) -> None:
        self.sealer = sealer

    @handles(Site.Opened)
    def site_opened(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO admin_sites (site_id, kind, governorate, name_ar, name_en)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (site_id) DO NOTHING",
            (str(event.originator_id), event.kind, event.governorate, event.name_ar, event.name_en),
        )
        return ["admin:sites"]

    @handles(Site.Renamed)
    def site_renamed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE admin_sites SET name_ar = %s, name_en = %s WHERE site_id = %s",
            (event.name_ar, event.name_en, str(event.originator_id)),
        )
        return ["admin:sites"]

    @handles(Site.Located)
    def site_located(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE admin_sites SET address = %s WHERE site_id = %s",
            (event.address, str(event.originator_id)),
        )
        return ["admin:sites"]

    @handles(Site.Closed)
    def site_closed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE admin_sites SET closed = 1 WHERE site_id = %s", (str(event.originator_id),)
        )
        return ["admin:sites"]

    @handles(Association.Founded)
    def founded(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO admin_associations (association_id, governorate, name_ar, name_en)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (association_id) DO NOTHING",
            (str(event.originator_id), event.governorate, event.name_ar, event.name_en),
        )
        return ["admin:associations"]

    @handles(Association.Renamed)
    def association_renamed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE admin_associations SET name_ar = %s, name_en = %s WHERE association_id = %s",
            (event.name_ar, event.name_en, str(event.originator_id)),
        )
        return ["admin:associations"]

    @handles(Association.Classified)
    def classified(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE admin_associations SET kind = %s WHERE association_id = %s",
            (event.kind, str(event.originator_id)),
        )
        return ["admin:associations"]

    @handles(CampaignRound.Opened)
    def round_opened(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO admin_rounds (round_id, name_ar, name_en, target, allowances, opened_at)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (round_id) DO NOTHING",
            (
                str(event.originator_id),
                event.name_ar,
                event.name_en,
                event.target,
                json.dumps(event.allowances, sort_keys=True),
                event.timestamp.isoformat(),
            ),
        )
        return ["admin:rounds"]

    @handles(Account.Opened)
    def account_opened(self, cursor: Cursor, event: Any) -> list[str]:
        """Every account: a volunteer's is listed with the staff once granted a role."""
        cursor.execute(
            "INSERT INTO admin_accounts (account_id, full_name_sealed, phone_sealed,"
            " has_password, opened_at, volunteer_id) VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (account_id) DO NOTHING",
            (
                str(event.originator_id),
                self.sealer.seal(event.full_name),
                self.sealer.seal(event.phone),
                1 if event.password_hash else 0,
                event.timestamp.isoformat(),
                str(event.volunteer_id) if event.volunteer_id else None,
            ),
        )
        return ["admin:accounts"]

    @handles(Volunteer.DetailsChanged)
    def volunteer_renamed(self, cursor: Cursor, event: Any) -> list[str]:
        """A volunteer made staff is listed under the name they gave themselves since."""
        cursor.execute(
            "UPDATE admin_accounts SET full_name_sealed = %s WHERE volunteer_id = %s",
            (self.sealer.seal(event.full_name), str(event.originator_id)),
        )
        return ["admin:accounts"]

    @handles(Account.SetUpCodeRedeemed)
    def password_set(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE admin_accounts SET has_password = 1 WHERE account_id = %s",
            (str(event.originator_id),),
        )
        return ["admin:accounts"]

    @handles(Account.RoleGranted)
    def granted(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO admin_grants (account_id, role, scope) VALUES (%s, %s, %s)"
            " ON CONFLICT (account_id, role, scope) DO NOTHING",
            (str(event.originator_id), event.role, event.scope),
        )
        return ["admin:accounts"]

    @handles(Account.RoleRevoked)
    def revoked(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "DELETE FROM admin_grants WHERE account_id = %s AND role = %s AND scope = %s",
            (str(event.originator_id), event.role, event.scope),
        )
        return ["admin:accounts"]


def admin_sites(db: Database, governorates: set[str] | None = None) -> list[Row]:
    """Every site, or those of the given governorates; open sites first."""
    rows = db.query("SELECT * FROM admin_sites ORDER BY closed, governorate, name_en")
    return [r for r in rows if governorates is None or r["governorate"] in governorates]


def admin_site(db: Database, site_id: str) -> Row | None:
    rows = db.query("SELECT * FROM admin_sites WHERE site_id = %s", (site_id,))
    return rows[0] if rows else None


def admin_associations(db: Database) -> list[Row]:
    return db.query("SELECT * FROM admin_associations ORDER BY governorate, name_en")


def admin_association(db: Database, association_id: str) -> Row | None:
    rows = db.query("SELECT * FROM admin_associations WHERE association_id = %s", (association_id,))
    return rows[0] if rows else None


def admin_rounds(db: Database) -> list[Row]:
    return db.query("SELECT * FROM admin_rounds ORDER BY opened_at DESC")


def admin_round(db: Database, round_id: str) -> Row | None:
    rows = db.query("SELECT * FROM admin_rounds WHERE round_id = %s", (round_id,))
    return rows[0] if rows else None


def staff_accounts(db: Database, sealer: Sealer) -> list[Row]:
    """Accounts opened as staff, and volunteers' accounts granted a staff role."""
    grants = _grants(db)
    rows = db.query(
        "SELECT * FROM admin_accounts WHERE volunteer_id IS NULL"
        " OR account_id IN (SELECT account_id FROM admin_grants)"
    )
    accounts = [_unsealed(row, sealer, grants.get(row["account_id"], [])) for row in rows]
    return sorted(accounts, key=lambda a: a["full_name"])


def staff_account(db: Database, sealer: Sealer, account_id: str) -> Row | None:
    rows = db.query("SELECT * FROM admin_accounts WHERE account_id = %s", (account_id,))
    if not rows:
        return None
    return _unsealed(rows[0], sealer, _grants(db, account_id).get(account_id, []))


def staff_names(db: Database, sealer: Sealer, account_ids: set[str]) -> dict[str, str]:
    if not account_ids:
        return {}
    marks = ", ".join(["%s"] * len(account_ids))
    rows = db.query(
        f"SELECT account_id, full_name_sealed FROM admin_accounts WHERE account_id IN ({marks})",
        tuple(account_ids),
    )
    return {r["account_id"]: sealer.unseal(r["full_name_sealed"]) for r in rows}


def _grants(db: Database, account_id: str | None = None) -> dict[str, list[Row]]:
    if account_id is None:
        rows = db.query("SELECT * FROM admin_grants ORDER BY role, scope")
    else:
        rows = db.query(
            "SELECT * FROM admin_grants WHERE account_id = %s ORDER BY role, scope", (account_id,)
        )
    grants: dict[str, list[Row]] = {}
    for row in rows:
        grants.setdefault(row["account_id"], []).append(row)
    return grants


def _unsealed(row: Row, sealer: Sealer, grants: list[Row]) -> Row:
    return {
        "account_id": row["account_id"],
        "full_name": sealer.unseal(row["full_name_sealed"]),
        "phone": sealer.unseal(row["phone_sealed"]),
        "has_password": bool(row["has_password"]),
        "opened_at": row["opened_at"],
        "volunteer_id": row.get("volunteer_id"),
        "grants": grants,
    }
