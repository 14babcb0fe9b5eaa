"""Meal batches, iftar times and Hijri dates, in memory."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4

import pytest

from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.governorates import get_governorate
from coordination.iftar import hijri, iftar_at
from coordination.meal_batch import MealBatch, MoreThanCooked, NothingToReverse

COOKED_AT = datetime(2026, 2, 24, 13, 0, tzinfo=CAMPAIGN_TIMEZONE)
IFTAR = datetime(2026, 2, 24, 17, 50, tzinfo=CAMPAIGN_TIMEZONE)


def batch(count: int = 100) -> MealBatch:
    return MealBatch.cook(uuid4(), "01", "أرز وفراخ", count, COOKED_AT, IFTAR, "cook-1")


# Published sunset (maghrib) times of the Egyptian General Survey Authority's Ramadan 1447
# imsakiya, as printed by Sada El Balad (elbalad.news) on 23 and 24 February 2026.
PUBLISHED = [
    (date(2026, 2, 23), "01", "17:50"),
    (date(2026, 2, 23), "02", "17:54"),
    (date(2026, 2, 23), "28", "17:48"),
    (date(2026, 2, 24), "01", "17:50"),
    (date(2026, 2, 24), "02", "17:54"),
    (date(2026, 2, 24), "28", "17:48"),
]


@pytest.mark.parametrize(("day", "code", "published"), PUBLISHED)
def test_iftar_agrees_with_published_sunset_within_two_minutes(
    day: date, code: str, published: str
) -> None:
    place = get_governorate(code)
    computed = iftar_at(place.latitude, place.longitude, day)
    hour, minute = map(int, published.split(":"))
    expected = datetime(day.year, day.month, day.day, hour, minute, tzinfo=CAMPAIGN_TIMEZONE)
    assert abs(computed - expected) <= timedelta(minutes=2)


def test_hijri_date_of_the_launch_day() -> None:
    assert hijri(date(2023, 3, 17)) == (1444, 8, 25)
    assert hijri(date(2026, 2, 24))[1] == 9


def test_served_and_discarded_never_exceed_cooked() -> None:
    meals = batch(100)
    assert meals.log_served("s1", 60, COOKED_AT + timedelta(hours=1), "on_site", None)
    assert meals.log_discarded("d1", 30, "spoiled")
    with pytest.raises(MoreThanCooked):
        meals.log_served("s2", 11, COOKED_AT + timedelta(hours=2), "delivered", None)
    assert meals.left == 10


def test_replayed_keys_record_nothing() -> None:
    meals = batch(10)
    meals.log_served("s1", 5, COOKED_AT, "on_site", None)
    pending = len(meals.pending_events)
    assert not meals.log_served("s1", 5, COOKED_AT, "on_site", None)
    assert len(meals.pending_events) == pending and meals.left == 5


def test_a_reversal_gives_the_meals_back_once() -> None:
    meals = batch(10)
    meals.log_served("s1", 10, COOKED_AT, "on_site", None)
    assert meals.reverse("r1", "s1") and meals.left == 10
    with pytest.raises(NothingToReverse):
        meals.reverse("r2", "s1")


def test_late_and_held_too_long_serving_is_flagged() -> None:
    meals = batch(10)
    meals.log_served("late", 2, IFTAR + timedelta(minutes=5), "delivered", None)
    meals.log_served("ok", 2, COOKED_AT + timedelta(hours=1), "on_site", None)
    served = [e for e in meals.pending_events if isinstance(e, MealBatch.Served)]
    assert [(e.after_sunset, e.past_hold_time) for e in served] == [(True, True), (False, False)]
