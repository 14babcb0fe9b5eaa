"""The exchange's history, its loans, and the hours ledger between associations."""

from __future__ import annotations

from typing import Any

from coordination.attendance import Attendance
from coordination.calendar import utc_text
from coordination.exchange import ExchangeRequest
from projections.database import Cursor, Database, Row
from projections.projection import Projection, handles

VIEW = "exchange_ledger"


class ExchangeLedger(Projection):
    name = VIEW
    tables = ("exchange_requests", "exchange_steps", "exchange_offers", "loans", "hours_ledger")

    @handles(ExchangeRequest.Asked)
    def asked(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO exchange_requests (request_id, association_id, shift_id, role, asked,"
            " note, asked_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                str(event.association_id),
                str(event.shift_id),
                event.role,
                event.asked,
                event.note,
                utc_text(event.timestamp),
            ),
        )
        return self._step(cursor, event, "asked", None, str(event.asked))

    @handles(ExchangeRequest.Offered)
    def offered(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO exchange_offers (request_id, volunteer_id, lender_id, state)"
            " VALUES (%s, %s, %s, 'offered')",
            (str(event.originator_id), str(event.volunteer_id), str(event.lender_id)),
        )
        keys = self._step(cursor, event, "offered", event.volunteer_id, str(event.lender_id))
        return [*keys, f"volunteer:{event.volunteer_id}"]

    @handles(ExchangeRequest.Answered)
    def answered(self, cursor: Cursor, event: Any) -> list[str]:
        step = "consented" if event.consents else "refused"
        self._offer(cursor, event, step)
        return self._step(cursor, event, step, event.volunteer_id, None)

    @handles(ExchangeRequest.Declined)
    def declined(self, cursor: Cursor, event: Any) -> list[str]:
        self._offer(cursor, event, "declined")
        return self._step(cursor, event, "declined", event.volunteer_id, None)

    @handles(ExchangeRequest.Accepted)
    def accepted(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "UPDATE exchange_requests SET accepted = accepted + 1 WHERE request_id = %s",
            (str(event.originator_id),),
        )
        cursor.execute(
            "SELECT association_id FROM exchange_requests WHERE request_id = %s",
            (str(event.originator_id),),
        )
        borrower = cursor.fetchone()["association_id"]
        cursor.execute(
            "INSERT INTO loans (attendance_id, request_id, volunteer_id, lender_id, borrower_id)"
            " VALUES (%s, %s, %s, %s, %s)",
            (
                str(Attendance.create_id(event.shift_id, event.volunteer_id)),
                str(event.originator_id),
                str(event.volunteer_id),
                str(event.lender_id),
                borrower,
            ),
        )
        self._offer(cursor, event, "accepted")
        keys = self._step(cursor, event, "accepted", event.volunteer_id, str(event.lender_id))
        return [*keys, f"association:{event.lender_id}", f"association:{borrower}"]

    @handles(Attendance.CheckedOut)
    def served(self, cursor: Cursor, event: Any) -> list[str]:
        """Hours served on a loan are credited to the lender by the borrower."""
        cursor.execute(
            "SELECT lender_id, borrower_id FROM loans WHERE attendance_id = %s",
            (str(event.originator_id),),
        )
        loan = cursor.fetchone()
        if loan is None:
            return []
        cursor.execute(
            "INSERT INTO hours_ledger (lender_id, borrower_id, seconds) VALUES (%s, %s, %s)"
            " ON CONFLICT (lender_id, borrower_id)"
            " DO UPDATE SET seconds = hours_ledger.seconds + excluded.seconds",
            (loan["lender_id"], loan["borrower_id"], event.seconds),
        )
        return [f"association:{loan['lender_id']}", f"association:{loan['borrower_id']}"]

    def _offer(self, cursor: Cursor, event: Any, state: str) -> None:
        cursor.execute(
            "UPDATE exchange_offers SET state = %s WHERE request_id = %s AND volunteer_id = %s",
            (state, str(event.originator_id), str(event.volunteer_id)),
        )

    def _step(
        self, cursor: Cursor, event: Any, step: str, volunteer: Any, detail: str | None
    ) -> list[str]:
        cursor.execute(
            "INSERT INTO exchange_steps (request_id, version, at, step, volunteer_id, detail)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                event.originator_version,
                utc_text(event.timestamp),
                step,
                str(volunteer) if volunteer else None,
                detail,
            ),
        )
        return [f"exchange:{event.originator_id}"]


def history(db: Database, request_id: str) -> tuple[Row | None, list[Row]]:
    rows = db.query("SELECT * FROM exchange_requests WHERE request_id = %s", (request_id,))
    steps = db.query(
        "SELECT * FROM exchange_steps WHERE request_id = %s ORDER BY version", (request_id,)
    )
    return (rows[0] if rows else None), steps


def balances(db: Database, association_id: str) -> dict[str, Any]:
    """Hours lent to and borrowed from every other association, and overall."""
    lent = db.query(
        "SELECT borrower_id AS other, seconds FROM hours_ledger WHERE lender_id = %s",
        (association_id,),
    )
    borrowed = db.query(
        "SELECT lender_id AS other, seconds FROM hours_ledger WHERE borrower_id = %s",
        (association_id,),
    )
    others: dict[str, dict[str, float]] = {}
    for rows, side in ((lent, "lent"), (borrowed, "borrowed")):
        for row in rows:
            entry = others.setdefault(row["other"], {"lent": 0.0, "borrowed": 0.0})
            entry[side] = row["seconds"] / 3600
    return {
        "with": [
            {"association_id": other, **hours, "balance": hours["lent"] - hours["borrowed"]}
            for other, hours in sorted(others.items())
        ],
        "lent": sum(entry["lent"] for entry in others.values()),
        "borrowed": sum(entry["borrowed"] for entry in others.values()),
    }


def offers_to(db: Database, volunteer_id: str) -> list[Row]:
    """The offers made of the volunteer, with the asking association and the shift."""
    return db.query(
        "SELECT o.*, r.association_id, r.shift_id, r.note, a.name_ar, a.name_en,"
        " b.starts_at, b.ends_at, b.role FROM exchange_offers o"
        " JOIN exchange_requests r ON r.request_id = o.request_id"
        " LEFT JOIN associations a ON a.association_id = r.association_id"
        " LEFT JOIN shift_board b ON b.shift_id = r.shift_id"
        " WHERE o.volunteer_id = %s ORDER BY b.starts_at",
        (volunteer_id,),
    )


def hours_by_association(db: Database, volunteer_id: str) -> list[Row]:
    """Hours served, counted for the association served: the borrower on a loan, else home."""
    return db.query(
        "SELECT COALESCE(l.borrower_id, d.association_id) AS association_id,"
        " a.name_ar, a.name_en, SUM(t.seconds) AS seconds, COUNT(*) AS shifts"
        " FROM attendance t JOIN volunteer_directory d ON d.volunteer_id = t.volunteer_id"
        " LEFT JOIN loans l ON l.attendance_id = t.attendance_id"
        " LEFT JOIN associations a ON a.association_id = COALESCE(l.borrower_id, d.association_id)"
        " WHERE t.volunteer_id = %s AND t.seconds IS NOT NULL"
        " GROUP BY COALESCE(l.borrower_id, d.association_id), a.name_ar, a.name_en",
        (volunteer_id,),
    )


def requests_by(db: Database, association_id: str) -> list[Row]:
    return db.query(
        "SELECT r.*, b.starts_at, b.ends_at FROM exchange_requests r"
        " LEFT JOIN shift_board b ON b.shift_id = r.shift_id"
        " WHERE r.association_id = %s ORDER BY r.asked_at DESC",
        (association_id,),
    )


def open_requests(db: Database, association_id: str) -> list[Row]:
    """Other associations' requests still short of volunteers, for shifts still to come."""
    return db.query(
        "SELECT r.*, b.starts_at, b.ends_at, a.name_ar, a.name_en FROM exchange_requests r"
        " LEFT JOIN shift_board b ON b.shift_id = r.shift_id"
        " LEFT JOIN associations a ON a.association_id = r.association_id"
        " WHERE r.association_id <> %s AND r.accepted < r.asked ORDER BY b.starts_at",
        (association_id,),
    )


def offers_in(db: Database, request_ids: list[str]) -> list[Row]:
    if not request_ids:
        return []
    marks = ", ".join(["%s"] * len(request_ids))
    return db.query(f"SELECT * FROM exchange_offers WHERE request_id IN ({marks})", request_ids)
