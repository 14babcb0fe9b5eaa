"""The sign-up decision on in-memory aggregates."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

import pytest

from coordination.shift import InvalidCapacity, InvalidShiftTimes, Shift, ShiftFull, ShiftOver
from coordination.signup import SignUpOutcome, sign_up, withdraw
from coordination.volunteer import InvalidName, OverlappingShift, Volunteer, clean_full_name
from tests.helpers import tomorrow


def shift(capacity: int = 2, hour: int = 8, hours: int = 4) -> Shift:
    start = tomorrow(hour)
    return Shift.schedule(uuid4(), "01", "packer", start, start + timedelta(hours=hours), capacity)


def volunteer() -> Volunteer:
    return Volunteer(uuid4().hex, "0015", "Hoda Samir", "+201012345678", "01", None)


NOW = tomorrow(0) - timedelta(hours=1)


def test_sign_up_takes_a_place_on_both_sides() -> None:
    s, v = shift(), volunteer()
    assert sign_up(s, v, "k", NOW) is SignUpOutcome.SIGNED_UP
    assert s.taken == 1 and v.shifts == {s.id: (s.starts_at, s.ends_at)}


def test_a_full_shift_refuses() -> None:
    s = shift(capacity=1)
    sign_up(s, volunteer(), "a", NOW)
    with pytest.raises(ShiftFull):
        sign_up(s, volunteer(), "b", NOW)


def test_overlap_is_refused_but_touching_shifts_are_fine() -> None:
    v = volunteer()
    sign_up(shift(hour=8), v, "a", NOW)
    with pytest.raises(OverlappingShift):
        sign_up(shift(hour=11), v, "b", NOW)
    assert sign_up(shift(hour=12), v, "c", NOW) is SignUpOutcome.SIGNED_UP


def test_replayed_key_answers_like_the_first_time_without_new_events() -> None:
    s, v = shift(), volunteer()
    sign_up(s, v, "k", NOW)
    pending = len(s.pending_events)
    assert sign_up(s, v, "k", NOW) is SignUpOutcome.SIGNED_UP
    assert sign_up(s, v, "other", NOW) is SignUpOutcome.ALREADY_SIGNED_UP
    assert len(s.pending_events) == pending


def test_ended_shift_refuses_sign_up() -> None:
    s = shift()
    with pytest.raises(ShiftOver):
        sign_up(s, volunteer(), "k", s.ends_at)


def test_withdraw_releases_both_sides() -> None:
    s, v = shift(), volunteer()
    sign_up(s, v, "k", NOW)
    assert withdraw(s, v, NOW) is SignUpOutcome.WITHDRAWN
    assert s.taken == 0 and v.shifts == {}
    assert withdraw(s, v, NOW) is SignUpOutcome.NOT_SIGNED_UP


@pytest.mark.parametrize("hours", [0, -1, 17])
def test_shift_times_must_make_sense(hours: int) -> None:
    with pytest.raises(InvalidShiftTimes):
        shift(hours=hours)


@pytest.mark.parametrize("capacity", [0, -3, 100_001])
def test_capacity_is_bounded(capacity: int) -> None:
    with pytest.raises(InvalidCapacity):
        shift(capacity=capacity)


@pytest.mark.parametrize("name", ["", " ", "x" * 10_000, "12345", "a\x00b"])
def test_names_must_be_real(name: str) -> None:
    with pytest.raises(InvalidName):
        clean_full_name(name)


def test_names_are_tidied() -> None:
    assert clean_full_name("  منى   حسن \n") == "منى حسن"


def at(day: int, hour: int) -> datetime:
    return tomorrow(0) + timedelta(days=day, hours=hour)


def shift_at(day: int, hour: int, hours: int) -> Shift:
    start = at(day, hour)
    return Shift.schedule(uuid4(), "01", "packer", start, start + timedelta(hours=hours), 2)


def test_a_clash_is_found_among_many_shifts_whatever_their_order() -> None:
    """Shifts taken out of order, a long one among short ones, one released: a new shift
    clashes with the earliest of those it overlaps, and with no other."""
    v = volunteer()
    for day in (5, 1, 9, 3, 7):
        sign_up(shift_at(day, 8, hours=2), v, f"day-{day}", NOW)
    night = shift_at(4, 14, hours=14)  # from day 4 at 14:00 to day 5 at 04:00
    sign_up(night, v, "night", NOW)
    with pytest.raises(OverlappingShift):
        sign_up(shift_at(5, 1, hours=2), v, "inside the long one", NOW)
    with pytest.raises(OverlappingShift):
        sign_up(shift_at(3, 9, hours=1), v, "inside a short one", NOW)
    assert v.clashing_shift(at(5, 3), at(5, 9)) == night.id
    withdraw(night, v, NOW)
    day_5 = next(i for i, (start, _) in v.shifts.items() if start == at(5, 8))
    assert v.clashing_shift(at(5, 3), at(5, 9)) == day_5
    assert v.clashing_shift(at(5, 10), at(5, 12)) is None
    assert sign_up(shift_at(5, 1, hours=2), v, "free again", NOW) is SignUpOutcome.SIGNED_UP
    assert sign_up(shift_at(3, 0, hours=8), v, "touching", NOW) is SignUpOutcome.SIGNED_UP
