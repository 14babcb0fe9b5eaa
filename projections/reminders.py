"""Reminders of upcoming shifts, the evening before and two hours before, put into the outbox
by a round over the outbox view's shifts. A kitchen's evening is its sunset (iftar) the day
before; elsewhere 20:00, Cairo time. Keyed by shift, start and volunteer, so a round run
twice, by two workers, or after a rebuild adds nothing, and a shift moved to another time
gets reminders for its new time."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from coordination.calendar import CAMPAIGN_TIMEZONE, from_utc_text, local, utc_text
from coordination.iftar import iftar_at
from projections.database import Database, Row
from projections.outbox import insert_message
from projections.personal import Sealer

EVENING = time(20, 0)
SHORTLY = timedelta(hours=2)
REMINDERS = ("reminder_evening", "reminder_soon")
AHEAD = timedelta(hours=36)  # the evening before a morning shift is at most this far ahead


def evening_before(starts_at: datetime, kind: str, latitude: float, longitude: float) -> datetime:
    day = local(starts_at).date() - timedelta(days=1)
    if kind == "kitchen":
        return iftar_at(latitude, longitude, day)
    return datetime.combine(day, EVENING, tzinfo=CAMPAIGN_TIMEZONE)


def remind(db: Database, sealer: Sealer, now: datetime) -> int:
    """Reminders added to the outbox by this round: for each shift whose reminder is due, to
    the holders not reminded of it yet (most rounds read a few shifts and no holder)."""
    shifts = db.query(
        "SELECT s.shift_id, s.starts_at, t.kind, t.latitude, t.longitude"
        " FROM outbox_shifts s JOIN outbox_sites t ON t.site_id = s.site_id"
        " WHERE s.cancelled = 0 AND s.starts_at > %s AND s.starts_at <= %s",
        (utc_text(now), utc_text(now + AHEAD)),
    )
    added = 0
    for shift in shifts:
        due = reminder_due(shift, now)
        if due is not None:
            added += _remind_holders(db, sealer, shift, *due, now)
    return added


def reminder_due(shift: Row, now: datetime) -> tuple[str, datetime] | None:
    """The reminder of the shift due now and when it stops being worth sending, if any."""
    starts_at = from_utc_text(shift["starts_at"])
    shortly = starts_at - SHORTLY
    if now >= shortly:
        return "reminder_soon", starts_at
    if now >= evening_before(starts_at, shift["kind"], shift["latitude"], shift["longitude"]):
        return "reminder_evening", shortly
    return None


def _remind_holders(
    db: Database, sealer: Sealer, shift: Row, kind: str, until: datetime, now: datetime
) -> int:
    shift_id, start = shift["shift_id"], shift["starts_at"]
    mark = f"{kind}:{start}"
    holders = db.query(  # two ranges of the index: not-equal alone would read every holder
        "SELECT volunteer_id FROM outbox_holders"
        " WHERE shift_id = %s AND (reminded < %s OR reminded > %s)",
        (shift_id, mark, mark),
    )
    if not holders:
        return 0
    at = local(from_utc_text(start))
    params = {"day": at.strftime("%d/%m"), "time": at.strftime("%H:%M")}
    added = 0
    with db.transaction() as cursor:
        for row in holders:
            added += insert_message(
                cursor,
                sealer,
                f"{kind}:{shift_id}:{start}:{row['volunteer_id']}",
                row["volunteer_id"],
                kind,
                params,
                at=now,
                urgent=False,
                expires_at=until,
            )
        # only those read: a holder who arrived meanwhile is reminded by the next round
        cursor.executemany(
            "UPDATE outbox_holders SET reminded = %s WHERE shift_id = %s AND volunteer_id = %s",
            [(mark, shift_id, row["volunteer_id"]) for row in holders],
        )
    return added


def still_holds(db: Database, message_key: str) -> bool:
    """A reminder's volunteer still holds its shift, not cancelled, at the time it names."""
    kind, shift_id, *start, volunteer_id, _channel = message_key.split(":")
    return bool(
        db.query(
            "SELECT 1 FROM outbox_holders h JOIN outbox_shifts s ON s.shift_id = h.shift_id"
            " WHERE h.shift_id = %s AND h.volunteer_id = %s AND s.cancelled = 0"
            " AND s.starts_at = %s",
            (shift_id, volunteer_id, ":".join(start)),
        )
    )
