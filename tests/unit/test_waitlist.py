"""The waitlist's decisions on in-memory aggregates."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from coordination.shift import NotWaiting, Shift, ShiftNotFull
from coordination.signup import sign_up, withdraw
from coordination.training import MissingCertificate, Programme
from coordination.volunteer import Volunteer
from coordination.waitlist import AlreadyOnShift, fill_places, join, leave, waiting_head
from tests.helpers import tomorrow

NOW = tomorrow(0) - timedelta(hours=1)


def shift(role: str = "packer", capacity: int = 1) -> Shift:
    start = tomorrow(8)
    return Shift.schedule(uuid4(), "01", role, start, start + timedelta(hours=4), capacity)


def volunteer() -> Volunteer:
    return Volunteer(uuid4().hex, "0015", "Hoda Samir", "+201012345678", "01", None)


def full(s: Shift) -> Volunteer:
    holder = volunteer()
    sign_up(s, holder, "k", NOW)
    return holder


def test_only_a_full_shift_is_joined_and_never_by_one_on_it() -> None:
    s = shift()
    with pytest.raises(ShiftNotFull):
        join(s, volunteer(), NOW)
    holder = full(s)
    with pytest.raises(AlreadyOnShift):
        join(s, holder, NOW)
    first, second = volunteer(), volunteer()
    assert (join(s, first, NOW), join(s, second, NOW), join(s, first, NOW)) == (1, 2, 1)
    leave(s, first.id)
    assert s.position_of(second.id) == 1
    with pytest.raises(NotWaiting):
        leave(s, first.id)


def test_a_freed_place_goes_to_the_first_whom_the_rules_let_in() -> None:
    s = shift(role="medic")
    holder = volunteer()
    holder.certify(Programme.FIRST_AID, tomorrow(23), uuid4())
    sign_up(s, holder, "k", NOW)
    uncertified, certified = volunteer(), volunteer()
    certified.certify(Programme.FIRST_AID, tomorrow(23), uuid4())
    s.join_waitlist(uncertified.id)  # certificates are checked again when the place frees
    join(s, certified, NOW)
    with pytest.raises(MissingCertificate):
        join(s, volunteer(), NOW)
    withdraw(s, holder, NOW)
    held: dict[UUID, Volunteer] = {v.id: v for v in (uncertified, certified)}
    assert waiting_head(s) == (uncertified.id, certified.id)
    assert fill_places(s, held.get, NOW) == [certified.id]
    assert set(s.volunteers) == {certified.id} and s.waiting == [uncertified.id]
    assert s.id in certified.shifts


def test_a_cancelled_shift_promotes_nobody_and_empties_its_waitlist() -> None:
    s = shift()
    full(s)
    waiting = volunteer()
    join(s, waiting, NOW)
    s.cancel("flooded")
    assert s.waiting == []
    assert fill_places(s, {waiting.id: waiting}.get, NOW) == []
