"""The outbox: SMS (and e-mail) to send for each event that concerns a person, at most one
per event, recipient and channel. Rows are inserted only if absent and ``outbox_messages`` is
not among the tables a rebuild empties, so a rebuild finds every message already there, with
what became of it, and never sends one twice."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from coordination.account import Account
from coordination.calendar import from_utc_text, local, utc_text
from coordination.shift import Shift
from coordination.site import Site
from coordination.ticket import Ticket
from coordination.volunteer import Volunteer
from projections.database import Cursor, Database, Row
from projections.personal import Sealer
from projections.projection import Projection, handles

VIEW = "outbox"
SMS = "sms"
EMAIL = "email"
STALE_AFTER = timedelta(hours=24)  # replayed into an empty outbox (a restore): not news any more
MAX_SHIFTS_REMEMBERED = 100_000
OWN_ACTS = ("signed_up",)  # messages about a volunteer's own act, not the staff's
STAFF_OF = {"association": ("association_coordinator",), "site": ("site_manager", "kitchen_lead")}


class Outbox(Projection):
    name = VIEW
    tables = (
        "outbox_contacts",
        "outbox_shifts",
        "outbox_sites",
        "outbox_holders",
        "outbox_waiting",
        "outbox_staff",
    )

    def __init__(self, sealer: Sealer) -> None:
        self.sealer = sealer
        # when each shift starts, as the events have told it: a sign-up's message is then
        # written without waiting on a read (the worker's statements go out pipelined)
        self.starts: dict[str, str] = {}

    # who is who: phones, staff roles

    @handles(Volunteer.Registered)
    def registered(self, cursor: Cursor, event: Any) -> None:
        self._contact(cursor, event.originator_id, event.phone)

    @handles(Volunteer.LanguageChosen)
    def language_chosen(self, cursor: Cursor, event: Any) -> None:
        cursor.execute(
            "UPDATE outbox_contacts SET locale = %s WHERE person_id = %s",
            (event.language, str(event.originator_id)),
        )

    @handles(Volunteer.EmailChanged)
    def email_changed(self, cursor: Cursor, event: Any) -> None:
        email = self.sealer.seal(event.email) if event.email else ""
        cursor.execute(
            "UPDATE outbox_contacts SET email = %s WHERE person_id = %s",
            (email, str(event.originator_id)),
        )

    @handles(Volunteer.VerificationAsked)
    def claimed(self, cursor: Cursor, event: Any) -> None:
        self._contact(cursor, f"claim:{event.originator_id}", event.phone)

    @handles(Volunteer.VerificationConfirmed)
    def confirmed(self, cursor: Cursor, event: Any) -> None:
        claim = f"claim:{event.originator_id}"
        cursor.execute("SELECT phone FROM outbox_contacts WHERE person_id = %s", (claim,))
        row = cursor.fetchone()
        if row is not None:
            self._contact(cursor, event.originator_id, self.sealer.unseal(row["phone"]))

    @handles(Account.Opened)
    def account_opened(self, cursor: Cursor, event: Any) -> None:
        self._contact(cursor, event.originator_id, event.phone)

    @handles(Account.RoleGranted)
    def granted(self, cursor: Cursor, event: Any) -> None:
        cursor.execute(
            "INSERT INTO outbox_staff (account_id, role, scope) VALUES (%s, %s, %s)"
            " ON CONFLICT (account_id, role, scope) DO NOTHING",
            (str(event.originator_id), event.role, event.scope),
        )

    @handles(Account.RoleRevoked)
    def revoked(self, cursor: Cursor, event: Any) -> None:
        cursor.execute(
            "DELETE FROM outbox_staff WHERE account_id = %s AND role = %s AND scope = %s",
            (str(event.originator_id), event.role, event.scope),
        )

    @handles(Account.SetUpCodeIssued)
    def code_issued(self, cursor: Cursor, event: Any) -> None:
        """Only a reset code carries its text (staff invitations are handed over in person)."""
        code = getattr(event, "sms_code", "")
        if code:
            self._tell(
                cursor,
                event,
                event.originator_id,
                "password_code",
                {"code": code},
                urgent=True,
                expires_at=event.expires_at,
            )

    # sites and shifts

    @handles(Site.Opened)
    def site_opened(self, cursor: Cursor, event: Any) -> None:
        from coordination.governorates import get_governorate

        capital = get_governorate(event.governorate)
        cursor.execute(
            "INSERT INTO outbox_sites (site_id, kind, latitude, longitude) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (site_id) DO NOTHING",
            (str(event.originator_id), str(event.kind), capital.latitude, capital.longitude),
        )

    @handles(Site.KitchenConfigured)
    @handles(Site.Located)
    def site_located(self, cursor: Cursor, event: Any) -> None:
        cursor.execute(
            "UPDATE outbox_sites SET latitude = %s, longitude = %s WHERE site_id = %s",
            (event.latitude, event.longitude, str(event.originator_id)),
        )

    @handles(Shift.Scheduled)
    def scheduled(self, cursor: Cursor, event: Any) -> None:
        self._starts_at(str(event.originator_id), utc_text(event.starts_at))
        cursor.execute(
            "INSERT INTO outbox_shifts (shift_id, site_id, role, starts_at, ends_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (shift_id) DO NOTHING",
            (
                str(event.originator_id),
                str(event.site_id),
                event.role,
                utc_text(event.starts_at),
                utc_text(event.ends_at),
            ),
        )

    @handles(Shift.Rescheduled)
    def rescheduled(self, cursor: Cursor, event: Any) -> None:
        self._starts_at(str(event.originator_id), utc_text(event.starts_at))
        cursor.execute(
            "UPDATE outbox_shifts SET starts_at = %s, ends_at = %s WHERE shift_id = %s",
            (utc_text(event.starts_at), utc_text(event.ends_at), str(event.originator_id)),
        )

    @handles(Shift.SignedUp)
    def signed_up(self, cursor: Cursor, event: Any) -> None:
        self._hold(cursor, event.originator_id, event.volunteer_id)
        if not str(event.idempotency_key).startswith("moved:"):  # told by the move itself
            self._tell_of_shift(cursor, event, event.volunteer_id, "signed_up")

    @handles(Shift.PromotedFromWaitlist)
    def promoted(self, cursor: Cursor, event: Any) -> None:
        self.waitlist_left(cursor, event)
        self._hold(cursor, event.originator_id, event.volunteer_id)
        self._tell_of_shift(cursor, event, event.volunteer_id, "promoted")

    @handles(Shift.Withdrawn)
    @handles(Shift.VolunteerRemoved)
    def released(self, cursor: Cursor, event: Any) -> None:
        cursor.execute(
            "DELETE FROM outbox_holders WHERE shift_id = %s AND volunteer_id = %s",
            (str(event.originator_id), str(event.volunteer_id)),
        )

    @handles(Shift.WaitlistJoined)
    def waitlist_joined(self, cursor: Cursor, event: Any) -> None:
        cursor.execute(
            "INSERT INTO outbox_waiting (shift_id, volunteer_id) VALUES (%s, %s)"
            " ON CONFLICT (shift_id, volunteer_id) DO NOTHING",
            (str(event.originator_id), str(event.volunteer_id)),
        )

    @handles(Shift.WaitlistLeft)
    def waitlist_left(self, cursor: Cursor, event: Any) -> None:
        cursor.execute(
            "DELETE FROM outbox_waiting WHERE shift_id = %s AND volunteer_id = %s",
            (str(event.originator_id), str(event.volunteer_id)),
        )

    @handles(Shift.Cancelled)
    def cancelled(self, cursor: Cursor, event: Any) -> None:
        """Those on the shift hear of it from their own ShiftLost; those waiting from here."""
        shift_id = str(event.originator_id)
        cursor.execute("UPDATE outbox_shifts SET cancelled = 1 WHERE shift_id = %s", (shift_id,))
        cursor.execute("DELETE FROM outbox_holders WHERE shift_id = %s", (shift_id,))
        cursor.execute("SELECT volunteer_id FROM outbox_waiting WHERE shift_id = %s", (shift_id,))
        waiting = [row["volunteer_id"] for row in cursor.fetchall()]
        cursor.execute("DELETE FROM outbox_waiting WHERE shift_id = %s", (shift_id,))
        for volunteer_id in waiting:
            self._tell_of_shift(cursor, event, volunteer_id, "waitlist_cancelled", shift_id)

    @handles(Volunteer.ShiftRetimed)
    def retimed(self, cursor: Cursor, event: Any) -> None:
        at = local(event.starts_at)
        params = {"day": at.strftime("%d/%m"), "time": at.strftime("%H:%M")}
        self._tell(cursor, event, event.originator_id, "retimed", params, about=event.shift_id)

    @handles(Volunteer.ShiftLost)
    def lost(self, cursor: Cursor, event: Any) -> None:
        kind = f"lost_{event.why}"
        self._tell_of_shift(cursor, event, event.originator_id, kind, event.shift_id)

    # tickets

    @handles(Ticket.Assigned)
    def ticket_assigned(self, cursor: Cursor, event: Any) -> None:
        roles = STAFF_OF.get(str(event.kind), ())
        if not roles:
            return
        marks = ", ".join(["%s"] * len(roles))
        cursor.execute(
            f"SELECT DISTINCT account_id FROM outbox_staff WHERE role IN ({marks}) AND scope = %s",
            (*roles, str(event.assignee_id)),
        )
        ticket = str(event.originator_id)[:8].upper()
        for row in cursor.fetchall():
            self._tell(
                cursor,
                event,
                row["account_id"],
                "ticket_assigned",
                {"ticket": ticket},
                about=event.originator_id,
            )

    # writing

    def _contact(self, cursor: Cursor, person_id: Any, phone: str) -> None:
        cursor.execute(
            "INSERT INTO outbox_contacts (person_id, phone) VALUES (%s, %s)"
            " ON CONFLICT (person_id) DO UPDATE SET phone = excluded.phone",
            (str(person_id), self.sealer.seal(phone)),
        )

    @staticmethod
    def _hold(cursor: Cursor, shift_id: Any, volunteer_id: Any) -> None:
        cursor.execute(
            "INSERT INTO outbox_holders (shift_id, volunteer_id) VALUES (%s, %s)"
            " ON CONFLICT (shift_id, volunteer_id) DO NOTHING",
            (str(shift_id), str(volunteer_id)),
        )

    def _tell_of_shift(
        self, cursor: Cursor, event: Any, recipient: Any, kind: str, shift_id: Any = None
    ) -> None:
        shift = str(shift_id or event.originator_id)
        starts_at = self.starts.get(shift)
        if starts_at is None:
            cursor.execute("SELECT starts_at FROM outbox_shifts WHERE shift_id = %s", (shift,))
            row = cursor.fetchone()
            if row is not None:
                starts_at = self._starts_at(shift, row["starts_at"])
        params: dict[str, str] = {}
        if starts_at is not None:
            at = local(from_utc_text(starts_at))
            params = {"day": at.strftime("%d/%m"), "time": at.strftime("%H:%M")}
        about = None if kind in OWN_ACTS else shift  # the rest the staff's acts caused
        self._tell(cursor, event, recipient, kind, params, about=about)

    def _starts_at(self, shift_id: str, starts_at: str) -> str:
        if len(self.starts) >= MAX_SHIFTS_REMEMBERED:
            self.starts.clear()
        self.starts[shift_id] = starts_at
        return starts_at

    def _tell(
        self,
        cursor: Cursor,
        event: Any,
        recipient: Any,
        kind: str,
        params: dict[str, str],
        *,
        urgent: bool = False,
        expires_at: datetime | None = None,
        about: Any = None,
    ) -> None:
        insert_message(
            cursor,
            self.sealer,
            f"{event.originator_id}:{event.originator_version}:{recipient}",
            str(recipient),
            kind,
            params,
            at=event.timestamp,
            urgent=urgent,
            expires_at=expires_at or event.timestamp + STALE_AFTER,
            counted=False,
            about=None if about is None else str(about),
        )


def insert_message(
    cursor: Cursor,
    sealer: Sealer,
    reference: str,
    recipient: str,
    kind: str,
    params: dict[str, str],
    *,
    at: datetime,
    urgent: bool,
    expires_at: datetime,
    counted: bool = True,
    about: str | None = None,
) -> bool:
    """Inserted if absent, one message per channel the recipient has (an SMS to their phone,
    an e-mail when they gave an address), each keyed ``reference:channel``; False when every
    one was there already, or the recipient has no contact: the key, not the moment, decides
    whether a message exists. The quiet hours are the delivery worker's: it holds what is not
    urgent until they end. The contacts are taken in the same statement, so with ``counted``
    off nothing waits for an answer (a pipelined batch goes on, and sends a run of these many
    rows to a statement: every parameter sits in the one row of VALUES) and the answer is not
    known (False). ``about``: the shift or ticket a message the staff caused is about."""
    cursor.execute(
        "INSERT INTO outbox_messages (message_key, recipient_id, channel, kind, destination,"
        " params, locale, urgent, created_at, due_at, expires_at, about)"
        " SELECT v.column1 || ch.channel, v.column2, ch.channel, v.column3,"
        " CASE WHEN ch.channel = 'sms' THEN c.phone ELSE c.email END,"
        " v.column4, c.locale, v.column5, v.column6, v.column6, v.column7, v.column8"
        " FROM (VALUES (%s, %s, %s, %s, %s, %s, %s, %s)) AS v"
        " JOIN outbox_contacts c ON c.person_id = v.column2"
        " JOIN (SELECT 'sms' AS channel UNION ALL SELECT 'email') AS ch"
        " ON ch.channel = 'sms' OR c.email <> ''"
        " WHERE true ON CONFLICT (message_key) DO NOTHING",
        (
            f"{reference}:",
            recipient,
            kind,
            sealer.seal(json.dumps(params, ensure_ascii=False)),
            int(urgent),
            utc_text(at),
            utc_text(expires_at),
            about,
        ),
    )
    return counted and bool(cursor.rowcount)


def message_language(db: Database, volunteer: Mapping[str, Any] | None) -> str:
    """The language a volunteer's messages are written in (Arabic until they choose)."""
    if volunteer is None:
        return "ar"
    rows = db.query(
        "SELECT locale FROM outbox_contacts WHERE person_id = %s", (volunteer["volunteer_id"],)
    )
    return str(rows[0]["locale"]) if rows else "ar"


def message_email(db: Database, sealer: Sealer, volunteer: Mapping[str, Any] | None) -> str:
    """The address a volunteer's messages also go to by e-mail ("" for none)."""
    if volunteer is None:
        return ""
    rows = db.query(
        "SELECT email FROM outbox_contacts WHERE person_id = %s", (volunteer["volunteer_id"],)
    )
    return sealer.unseal(rows[0]["email"]) if rows and rows[0]["email"] else ""


def messages_about(db: Database, about: str, limit: int = 100) -> list[Row]:
    """The latest messages the staff caused about a shift or a ticket, newest first, with
    what became of each (pending, sent, dead or expired)."""
    return db.query(
        "SELECT message_key, recipient_id, channel, kind, status, attempts, created_at,"
        " due_at, sent_at FROM outbox_messages WHERE about = %s"
        " ORDER BY created_at DESC, message_key LIMIT %s",
        (about, limit),
    )


def message_counts_about(db: Database, about: str) -> dict[str, int]:
    """How many of the messages about a shift or a ticket are in each state."""
    rows = db.query(
        "SELECT status, COUNT(*) AS n FROM outbox_messages WHERE about = %s GROUP BY status",
        (about,),
    )
    return {row["status"]: int(row["n"]) for row in rows}
