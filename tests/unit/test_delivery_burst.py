"""Sign-ups first: while the log grows in a burst, the delivery worker sends only urgent
messages, for at most its give-way, then as long again at full rate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from web.delivery import deliverer_for
from web.platform.settings import SettingsError, load_settings
from workers.delivery import Burst

START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


class Log:
    """A log's head that grows by ``rate`` events a second of the clock the test moves."""

    def __init__(self) -> None:
        self.head, self.rate, self.at, self.asked = 0, 0, START, 0

    def until(self, moment: datetime) -> None:
        self.head += int(self.rate * (moment - self.at).total_seconds())
        self.at = moment

    def grows(self, rate: int, from_second: int) -> None:
        self.until(START + from_second * SECOND)
        self.rate = rate

    def read(self) -> int:
        self.asked += 1
        return self.head


def seconds_giving_way(burst: Burst, log: Log, start: int, end: int) -> list[int]:
    """The whole seconds from ``start`` to ``end`` at which the burst held messages back."""
    held = []
    for second in range(start, end):
        moment = START + second * SECOND
        log.until(moment)
        if burst.giving_way(moment):
            held.append(second)
    return held


def test_a_quiet_log_never_holds_messages_back() -> None:
    log = Log()
    log.rate = 50  # a busy ordinary day, not a burst
    burst = Burst(log.read, timedelta(seconds=30), events_per_second=300)
    assert seconds_giving_way(burst, log, 0, 120) == []


def test_a_burst_holds_messages_back_for_the_give_way_then_as_long_again_not() -> None:
    log = Log()
    burst = Burst(log.read, timedelta(seconds=30), events_per_second=300)
    assert seconds_giving_way(burst, log, 0, 5) == []
    log.grows(2_000, from_second=5)  # the places open
    held = seconds_giving_way(burst, log, 5, 125)
    # measured one second into the burst; thirty seconds held, thirty sent, and again
    assert held == [*range(6, 36), *range(66, 96)]


def test_messages_go_again_once_the_burst_ends() -> None:
    log = Log()
    burst = Burst(log.read, timedelta(seconds=30), events_per_second=300)
    log.rate = 2_000
    assert seconds_giving_way(burst, log, 0, 10) == list(range(1, 10))
    log.grows(20, from_second=9)  # ends at the last second asked
    assert seconds_giving_way(burst, log, 10, 40) == []  # the next measure saw it end


def test_the_log_is_read_at_most_once_a_second_however_often_asked() -> None:
    log = Log()
    burst = Burst(log.read, timedelta(seconds=30))
    for tenth in range(100):  # rounds back to back, ten a second
        burst.giving_way(START + tenth * SECOND / 10)
    assert log.asked == 10


def test_a_give_way_of_nothing_never_reads_the_log() -> None:
    log = Log()
    log.rate = 10_000
    burst = Burst(log.read, timedelta(0))
    assert seconds_giving_way(burst, log, 0, 10) == [] and log.asked == 0


def test_the_give_way_is_read_from_the_environment() -> None:
    base = {"KATF_DATABASE_URL": "sqlite:///x.db", "KATF_SECRET_KEY": "k"}
    assert load_settings(base).delivery_give_way_seconds == 30
    settings = load_settings({**base, "KATF_DELIVERY_GIVE_WAY_SECONDS": "0"})
    assert settings.delivery_give_way_seconds == 0
    for wrong in ("-1", "soon", "7200"):
        with pytest.raises(SettingsError, match="KATF_DELIVERY_GIVE_WAY_SECONDS"):
            load_settings({**base, "KATF_DELIVERY_GIVE_WAY_SECONDS": wrong})
    services = SimpleNamespace(settings=settings, db=None, sealer=None)
    burst = deliverer_for(services).burst
    assert burst is not None and burst.give_way == timedelta(0)
