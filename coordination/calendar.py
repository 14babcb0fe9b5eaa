"""The campaign's clock: Egypt's local time for days and display, UTC for ordering."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CAMPAIGN_TIMEZONE = ZoneInfo("Africa/Cairo")


def local(moment: datetime) -> datetime:
    return moment.astimezone(CAMPAIGN_TIMEZONE)


def local_day(moment: datetime) -> date:
    return local(moment).date()


def utc_text(moment: datetime) -> str:
    """Sortable text for a moment, the same on every database engine."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_utc_text(text: str) -> datetime:
    return datetime.fromisoformat(text)
