"""Releasing those not come once a shift is under way, on in-memory aggregates."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from coordination.attendance import Attendance
from coordination.no_shows import GRACE, release_no_shows
from coordination.signup import sign_up
from coordination.training import Programme
from coordination.volunteer import Volunteer
from tests.unit.test_waitlist import NOW, shift, volunteer


def test_only_those_not_come_are_released_and_no_more_than_the_waiting_can_take() -> None:
    s = shift(role="medic", capacity=3)  # medics need first aid: the last waiting lacks it
    came, late, later, waiting, uncertified = (volunteer() for _ in range(5))
    for person in (came, late, later, waiting):
        person.certify(Programme.FIRST_AID, s.ends_at, s.id)
    for person in (came, late, later):
        sign_up(s, person, f"k{person.id}", NOW)
    s.join_waitlist(waiting.id)
    s.join_waitlist(uncertified.id)
    people: dict[UUID, Volunteer] = {p.id: p for p in (came, late, later, waiting, uncertified)}
    present = Attendance(s.id, came.id, s.site_id, "01", s.starts_at, s.ends_at)
    present.check_in("desk", s.starts_at, "scan", False)

    def attendance(volunteer_id: UUID) -> Attendance | None:
        return present if volunteer_id == came.id else None

    on_shift = {v: people[v] for v in s.volunteers}
    early = s.starts_at + GRACE - timedelta(minutes=1)
    assert release_no_shows(s, on_shift, attendance, people.get, early) == []
    now = s.starts_at + GRACE
    assert release_no_shows(s, on_shift, attendance, people.get, now) == [later.id]
    assert set(s.volunteers) == {came.id, late.id, waiting.id}
    assert s.waiting == [uncertified.id] and s.id in waiting.shifts and s.id not in later.shifts
    assert release_no_shows(s, on_shift, attendance, people.get, now) == []  # none can take it


def test_a_shift_over_releases_nobody() -> None:
    s = shift()
    holder = volunteer()
    sign_up(s, holder, "k", NOW)
    other = volunteer()
    s.join_waitlist(other.id)
    people = {holder.id: holder, other.id: other}
    assert release_no_shows(s, {holder.id: holder}, lambda v: None, people.get, s.ends_at) == []
    assert set(s.volunteers) == {holder.id}
