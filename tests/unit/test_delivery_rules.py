"""Quiet hours and the evening before a shift, in Cairo time: the rules the delivery worker
and the reminder round follow."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from coordination.calendar import CAMPAIGN_TIMEZONE, from_utc_text
from coordination.iftar import iftar_at
from projections.reminders import evening_before
from web.delivery import deliverer_for
from web.platform.settings import SettingsError, load_settings
from workers.delivery import LONGEST_WAIT, MAX_ATTEMPTS, Deliverer, in_quiet_hours


def cairo(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=CAMPAIGN_TIMEZONE)


def test_quiet_hours_run_over_midnight_in_cairo() -> None:
    assert in_quiet_hours(cairo(10, 23, 0), (23, 8))
    assert in_quiet_hours(cairo(11, 7, 59), (23, 8))
    assert not in_quiet_hours(cairo(11, 8, 0), (23, 8))
    assert not in_quiet_hours(cairo(10, 22, 59), (23, 8))
    assert in_quiet_hours(cairo(10, 14, 0), (13, 15)) and not in_quiet_hours(
        cairo(10, 15), (13, 15)
    )
    assert not in_quiet_hours(cairo(11, 3, 0), None)


def test_the_evening_before_is_eight_oclock_or_a_kitchens_sunset() -> None:
    starts = cairo(20, 9).astimezone(UTC)
    assert evening_before(starts, "packing", 30.0, 31.2) == cairo(19, 20)
    sunset = evening_before(starts, "kitchen", 30.05, 31.25)
    assert sunset == iftar_at(30.05, 31.25, date(2026, 3, 19))
    assert cairo(19, 17) < sunset < cairo(19, 19)  # Cairo's sunset in March, near 18:00


def test_quiet_hours_and_gateways_are_read_from_the_environment() -> None:
    settings = load_settings({"KATF_DATABASE_URL": "sqlite:///x.db", "KATF_SECRET_KEY": "k"})
    assert settings.quiet_hours == (23, 8) and settings.sms_url == ""
    settings = load_settings(
        {
            "KATF_DATABASE_URL": "sqlite:///x.db",
            "KATF_SECRET_KEY": "k",
            "KATF_QUIET_HOURS": "off",
            "KATF_SMS_URL": "https://sms.example/send",
        }
    )
    assert settings.quiet_hours is None and settings.sms_url == "https://sms.example/send"
    for wrong in ({"KATF_QUIET_HOURS": "late"}, {"KATF_SMS_URL": "ftp://x"}):
        try:
            load_settings({"KATF_DATABASE_URL": "sqlite:///x.db", "KATF_SECRET_KEY": "k", **wrong})
        except SettingsError:
            continue
        raise AssertionError(wrong)


def test_a_worker_sends_as_many_at_once_as_its_setting_says() -> None:
    base = {"KATF_DATABASE_URL": "sqlite:///x.db", "KATF_SECRET_KEY": "k"}
    assert load_settings(base).delivery_concurrency == 1  # one at a time unless asked
    settings = load_settings({**base, "KATF_DELIVERY_CONCURRENCY": "16"})
    assert settings.delivery_concurrency == 16
    for wrong in ("0", "65", "many", "-2"):
        try:
            load_settings({**base, "KATF_DELIVERY_CONCURRENCY": wrong})
        except SettingsError as error:
            assert "KATF_DELIVERY_CONCURRENCY" in str(error)
            continue
        raise AssertionError(wrong)
    services = SimpleNamespace(settings=settings, db=None, sealer=None)
    assert deliverer_for(services).concurrency == 16


def test_a_passing_failure_waits_at_most_the_longest_wait_however_often_it_came() -> None:
    """A gateway down for days: the message's hundredth attempt is not its last, and its
    next waits an hour (the doubling, unbounded, would overflow a moment)."""

    class Cursor:
        def execute(self, sql: str, params: tuple[Any, ...]) -> None:
            self.params = params

    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    for attempts in (100, MAX_ATTEMPTS):
        cursor = Cursor()
        Deliverer._failed(cursor, "key:sms", attempts, now, "SMS gateway answered 503", True)
        status, due_at, error, _ = cursor.params
        assert status == "pending" and error == "SMS gateway answered 503"
        assert from_utc_text(due_at) - now <= LONGEST_WAIT
    cursor = Cursor()
    Deliverer._failed(cursor, "key:sms", MAX_ATTEMPTS, now, "SMS gateway answered 400")
    assert cursor.params[0] == "dead"
