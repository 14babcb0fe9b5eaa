"""Iftar time (sunset at the kitchen, that day), the hold time, and the Hijri date."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from astral import Observer
from astral.sun import sunset
from hijridate import Gregorian

from coordination.calendar import CAMPAIGN_TIMEZONE

HOLD_TIME = timedelta(hours=4)


def iftar_at(latitude: float, longitude: float, day: date) -> datetime:
    """Sunset at the place on the day, in Egypt's local time."""
    return sunset(Observer(latitude, longitude), day, tzinfo=CAMPAIGN_TIMEZONE)


def hijri(day: date) -> tuple[int, int, int]:
    """The Umm al-Qura date (year, month, day); month 9 is Ramadan."""
    hijri_date = Gregorian(day.year, day.month, day.day).to_hijri()
    return hijri_date.year, hijri_date.month, hijri_date.day
