"""A form's day and clock times, read in the campaign's time zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from coordination.calendar import CAMPAIGN_TIMEZONE


def day_of(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def clock_of(text: str) -> time | None:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        return None


def span_of(day: date | None, start: str, end: str) -> tuple[datetime, datetime] | None:
    """From ``start`` to ``end`` on ``day``; an end at or before the start is the next day's
    (a night shift). None when the day or a time is missing or unreadable."""
    starts, ends = clock_of(start), clock_of(end)
    if day is None or starts is None or ends is None:
        return None
    starts_at = datetime.combine(day, starts, CAMPAIGN_TIMEZONE)
    ends_at = datetime.combine(day, ends, CAMPAIGN_TIMEZONE)
    if ends_at <= starts_at:
        ends_at += timedelta(days=1)
    return starts_at, ends_at
