"""Who each volunteer is, for the pages that need it: sealed name and phone, home association."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from coordination.calendar import utc_text
from coordination.volunteer import Volunteer
from projections.database import Cursor, Database, Row
from projections.personal import Sealer
from projections.projection import Projection, handles

VIEW = "volunteer_directory"


class VolunteerDirectory(Projection):
    name = VIEW
    tables = (
        "volunteer_directory",
        "volunteer_links",
        "volunteer_certificates",
        "volunteer_link_requests",
        "volunteer_verifications",
    )

    def __init__(self, sealer: Sealer) -> None:
        self.sealer = sealer

    @handles(Volunteer.Registered)
    def registered(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO volunteer_directory (volunteer_id, association_id, governorate,"
            " full_name_sealed, phone_sealed, national_id_last4, imported_by)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (volunteer_id) DO NOTHING",
            (
                str(event.originator_id),
                str(event.association_id) if event.association_id else None,
                event.governorate,
                self.sealer.seal(event.full_name),
                self.sealer.seal(event.phone),
                event.national_id_last4,
                str(event.imported_by) if getattr(event, "imported_by", None) else None,
            ),
        )
        return [f"volunteer:{event.originator_id}"]

    @handles(Volunteer.DetailsChanged)
    def details_changed(self, cursor: Cursor, event: Any) -> list[str]:
        """The volunteer's own change: the old home association's roster no longer shows
        them; the new one's, where they served or were asked, holds them once, as home."""
        volunteer, home = str(event.originator_id), event.association_id
        cursor.execute(
            "SELECT association_id FROM volunteer_directory WHERE volunteer_id = %s", (volunteer,)
        )
        before = [row["association_id"] for row in cursor.fetchall()]
        cursor.execute(
            "UPDATE volunteer_directory SET full_name_sealed = %s, governorate = %s,"
            " association_id = %s WHERE volunteer_id = %s",
            (
                self.sealer.seal(event.full_name),
                event.governorate,
                str(home) if home else None,
                volunteer,
            ),
        )
        keys = [f"volunteer:{volunteer}"]
        if home is not None:
            for table in ("volunteer_links", "volunteer_link_requests"):
                cursor.execute(
                    f"DELETE FROM {table} WHERE volunteer_id = %s AND association_id = %s",
                    (volunteer, str(home)),
                )
            keys.append(f"association:{home}")
        keys += [f"association:{old}" for old in before if old and old != str(home)]
        return keys

    @handles(Volunteer.Linked)
    def linked(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO volunteer_links (volunteer_id, association_id) VALUES (%s, %s)",
            (str(event.originator_id), str(event.association_id)),
        )
        self._answered(cursor, event)
        return [f"volunteer:{event.originator_id}", f"association:{event.association_id}"]

    @handles(Volunteer.LinkAsked)
    def link_asked(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO volunteer_link_requests (volunteer_id, association_id, asked_at)"
            " VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            (str(event.originator_id), str(event.association_id), utc_text(event.timestamp)),
        )
        return [f"volunteer:{event.originator_id}"]

    @handles(Volunteer.LinkDeclined)
    def link_declined(self, cursor: Cursor, event: Any) -> list[str]:
        self._answered(cursor, event)
        return [f"volunteer:{event.originator_id}"]

    @handles(Volunteer.VerificationAsked)
    def verification_asked(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO volunteer_verifications (volunteer_id, association_id, imported_by,"
            " full_name_sealed, phone_sealed, asked_at) SELECT volunteer_id, association_id,"
            " imported_by, %s, %s, %s FROM volunteer_directory WHERE volunteer_id = %s"
            " ON CONFLICT (volunteer_id) DO NOTHING",
            (
                self.sealer.seal(event.full_name),
                self.sealer.seal(event.phone),
                utc_text(event.timestamp),
                str(event.originator_id),
            ),
        )
        return [f"volunteer:{event.originator_id}", "verifications"]

    @handles(Volunteer.VerificationConfirmed)
    def verification_confirmed(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE volunteer_directory SET full_name_sealed = v.full_name_sealed,"
            " phone_sealed = v.phone_sealed FROM volunteer_verifications v"
            " WHERE v.volunteer_id = volunteer_directory.volunteer_id"
            " AND volunteer_directory.volunteer_id = %s",
            (str(event.originator_id),),
        )
        return self._checked(cursor, event)

    @handles(Volunteer.VerificationRejected)
    def verification_rejected(self, cursor: Cursor, event: Any) -> list[str]:
        return self._checked(cursor, event)

    def _checked(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "DELETE FROM volunteer_verifications WHERE volunteer_id = %s",
            (str(event.originator_id),),
        )
        return [f"volunteer:{event.originator_id}", "verifications"]

    def _answered(self, cursor: Cursor, event: Any) -> None:
        cursor.execute(
            "DELETE FROM volunteer_link_requests WHERE volunteer_id = %s AND association_id = %s",
            (str(event.originator_id), str(event.association_id)),
        )

    @handles(Volunteer.Certified)
    def certified(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO volunteer_certificates (volunteer_id, programme, expires_at)"
            " VALUES (%s, %s, %s) ON CONFLICT (volunteer_id, programme)"
            " DO UPDATE SET expires_at = excluded.expires_at",
            (str(event.originator_id), event.programme, utc_text(event.expires_at)),
        )
        return [f"volunteer:{event.originator_id}"]


def _unsealed(row: Row, sealer: Sealer) -> Row:
    return {
        "volunteer_id": row["volunteer_id"],
        "association_id": row["association_id"],
        "governorate": row["governorate"],
        "full_name": sealer.unseal(row["full_name_sealed"]),
        "phone": sealer.unseal(row["phone_sealed"]),
        "national_id_last4": row["national_id_last4"],
    }


def find_volunteer(db: Database, sealer: Sealer, volunteer_id: str) -> Row | None:
    rows = db.query("SELECT * FROM volunteer_directory WHERE volunteer_id = %s", (volunteer_id,))
    return _unsealed(rows[0], sealer) if rows else None


def names_of(db: Database, sealer: Sealer, volunteer_ids: Collection[str]) -> dict[str, str]:
    """Each known volunteer's full name, by id."""
    wanted = sorted(set(volunteer_ids))
    if not wanted:
        return {}
    marks = ", ".join(["%s"] * len(wanted))
    rows = db.query(
        "SELECT volunteer_id, full_name_sealed FROM volunteer_directory"
        f" WHERE volunteer_id IN ({marks})",
        tuple(wanted),
    )
    return {row["volunteer_id"]: sealer.unseal(row["full_name_sealed"]) for row in rows}


def association_roster(db: Database, sealer: Sealer, association_id: str) -> list[Row]:
    rows = db.query(
        "SELECT * FROM volunteer_directory WHERE association_id = %s OR volunteer_id IN"
        " (SELECT volunteer_id FROM volunteer_links WHERE association_id = %s)",
        (association_id, association_id),
    )
    return sorted((_unsealed(row, sealer) for row in rows), key=lambda r: r["full_name"])


def link_requests_to(db: Database, volunteer_id: str) -> list[Row]:
    """The associations asking the volunteer to count them among their own, oldest first."""
    return db.query(
        "SELECT r.association_id, a.name_ar, a.name_en FROM volunteer_link_requests r"
        " LEFT JOIN associations a ON a.association_id = r.association_id"
        " WHERE r.volunteer_id = %s ORDER BY r.asked_at",
        (volunteer_id,),
    )


def being_checked(db: Database, volunteer_id: str) -> bool:
    rows = db.query(
        "SELECT 1 FROM volunteer_verifications WHERE volunteer_id = %s", (volunteer_id,)
    )
    return bool(rows)


def verifications(db: Database, sealer: Sealer, associations: set[str] | None) -> list[Row]:
    """Registrations waiting for a check, with the record they claim and who imported it;
    ``associations``: only those imported by these (None: every one)."""
    where, params = "", []
    if associations is not None:
        if not associations:
            return []
        where = f" WHERE v.association_id IN ({', '.join(['%s'] * len(associations))})"
        params = sorted(associations)
    rows = db.query(
        "SELECT v.volunteer_id, v.association_id, v.asked_at, v.full_name_sealed,"
        " v.phone_sealed, d.full_name_sealed AS record_name_sealed,"
        " d.phone_sealed AS record_phone_sealed, d.national_id_last4, a.name_ar, a.name_en,"
        " i.full_name_sealed AS importer_sealed FROM volunteer_verifications v"
        " JOIN volunteer_directory d ON d.volunteer_id = v.volunteer_id"
        " LEFT JOIN associations a ON a.association_id = v.association_id"
        " LEFT JOIN admin_accounts i ON i.account_id = v.imported_by"
        f"{where} ORDER BY v.asked_at LIMIT 200",
        params,
    )
    return [
        {
            "volunteer_id": row["volunteer_id"],
            "asked_at": row["asked_at"],
            "full_name": sealer.unseal(row["full_name_sealed"]),
            "phone": sealer.unseal(row["phone_sealed"]),
            "record_name": sealer.unseal(row["record_name_sealed"]),
            "record_phone": sealer.unseal(row["record_phone_sealed"]),
            "national_id_last4": row["national_id_last4"],
            "name_ar": row["name_ar"],
            "name_en": row["name_en"],
            "importer": sealer.unseal(row["importer_sealed"]) if row["importer_sealed"] else "",
        }
        for row in rows
    ]


def sites_of_volunteer(db: Database, volunteer_id: str) -> set[str]:
    rows = db.query(
        "SELECT DISTINCT b.site_id FROM my_shifts m JOIN shift_board b ON b.shift_id = m.shift_id"
        " WHERE m.volunteer_id = %s",
        (volunteer_id,),
    )
    return {row["site_id"] for row in rows}


def volunteers_on_shift(db: Database, sealer: Sealer, shift_id: str) -> list[Row]:
    rows = db.query(
        "SELECT d.* FROM my_shifts m JOIN volunteer_directory d ON d.volunteer_id = m.volunteer_id"
        " WHERE m.shift_id = %s",
        (shift_id,),
    )
    return sorted((_unsealed(row, sealer) for row in rows), key=lambda r: r["full_name"])


def certificates_of(db: Database, volunteer_id: str) -> list[Row]:
    return db.query(
        "SELECT * FROM volunteer_certificates WHERE volunteer_id = %s ORDER BY programme",
        (volunteer_id,),
    )
