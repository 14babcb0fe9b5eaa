"""Reminders of upcoming shifts, the evening before and two hours before, put into the outbox
by a round over the outbox view's shifts. A kitchen's evening is its sunset (iftar) the day
before; elsewhere 20:00, Cairo time. Keyed by shift, start and volunteer, so a round run
twice, by two workers, or after a rebuild adds nothing, and a shift moved to another time
gets reminders for its new time."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from coordination.calendar import CAMPAIGN_TIMEZONE, from_utc_text, local, utc_text
from coordination.iftar import iftar_at
from projections.database import Database
from projections.outbox import SMS, insert_message
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
    """Reminders added to the outbox by this round."""
    rows = db.query(
        "SELECT s.shift_id, s.starts_at, h.volunteer_id, t.kind, t.latitude, t.longitude"
        " FROM outbox_shifts s JOIN outbox_holders h ON h.shift_id = s.shift_id"
        " JOIN outbox_sites t ON t.site_id = s.site_id"
        " WHERE s.cancelled = 0 AND s.starts_at > %s AND s.starts_at <= %s",
        (utc_text(now), utc_text(now + AHEAD)),
    )
    added = 0
    if not rows:
        return added
    with db.transaction() as cursor:
        for row in rows:
            starts_at = from_utc_text(row["starts_at"])
            shortly = starts_at - SHORTLY
            if now >= shortly:
                kind, until = "reminder_soon", starts_at
            elif now >= evening_before(starts_at, row["kind"], row["latitude"], row["longitude"]):
                kind, until = "reminder_evening", shortly
            else:
                continue
            at = local(starts_at)
            key = f"{kind}:{row['shift_id']}:{row['starts_at']}:{row['volunteer_id']}:{SMS}"
            added += insert_message(
                cursor,
                sealer,
                key,
                row["volunteer_id"],
                kind,
                {"day": at.strftime("%d/%m"), "time": at.strftime("%H:%M")},
                at=now,
                urgent=False,
                expires_at=until,
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
