"""The staff's changes to a shift, decided over the shift and its volunteers together: its
places never fewer than those taken, its times never over a volunteer's other shift."""

from __future__ import annotations

from datetime import datetime

from coordination.errors import InvalidInput
from coordination.shift import (
    CapacityBelowTaken,
    NotOnShift,
    Shift,
    ShiftCancelled,
    ShiftFull,
    ShiftOver,
)
from coordination.signup import SignUpOutcome, sign_up
from coordination.training import REQUIRED_FOR_ROLE, MissingCertificate
from coordination.volunteer import OverlappingShift, Volunteer


class RetimeOverlaps(OverlappingShift):
    code = "retime_overlaps"


class ReasonNeeded(InvalidInput):
    code = "reason_needed"


def given(reason: str) -> str:
    """A volunteer taken off a shift always reads why."""
    if not reason.strip():
        raise ReasonNeeded()
    return reason.strip()


def change_shift(
    shift: Shift,
    volunteers: list[Volunteer],
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    now: datetime,
) -> bool:
    """New times and places; False when nothing changes."""
    _still_open(shift, now)
    Shift.check_plan(starts_at, ends_at, capacity)
    if capacity < shift.taken:
        raise CapacityBelowTaken(taken=shift.taken)
    if (starts_at, ends_at, capacity) == (shift.starts_at, shift.ends_at, shift.capacity):
        return False
    retimed = (starts_at, ends_at) != (shift.starts_at, shift.ends_at)
    if retimed:
        for volunteer in volunteers:
            clash = volunteer.clash_besides(shift.id, starts_at, ends_at)
            if clash is not None:
                raise RetimeOverlaps(volunteer=volunteer.full_name)
    shift.reschedule(starts_at, ends_at, capacity)
    if retimed:
        for volunteer in volunteers:
            volunteer.retime_shift(shift.id, starts_at, ends_at)
    return True


def cancel_shift(shift: Shift, volunteers: list[Volunteer], reason: str, now: datetime) -> bool:
    """Every volunteer on it is taken off with the reason; cancelling twice changes nothing."""
    if shift.cancelled:
        return False
    if now >= shift.ends_at:
        raise ShiftOver()
    shift.cancel(reason)
    for volunteer in volunteers:
        volunteer.lose_shift(shift.id, reason, "cancelled")
    return True


def remove_volunteer(shift: Shift, volunteer: Volunteer, reason: str, now: datetime) -> None:
    _still_open(shift, now)
    if volunteer.id not in shift.volunteers:
        raise NotOnShift()
    shift.remove_volunteer(volunteer.id, reason, None)
    volunteer.lose_shift(shift.id, reason, "removed")


def move_volunteer(
    shift: Shift, to: Shift, volunteer: Volunteer, reason: str, key: str, now: datetime
) -> SignUpOutcome:
    """Off one shift and onto another, or neither: the other's places and times still hold."""
    _still_open(shift, now)
    if to.cancelled:
        raise ShiftCancelled()
    if volunteer.id not in shift.volunteers:
        raise NotOnShift()
    if volunteer.id not in to.volunteers:
        _takes(to, volunteer, leaving=shift, now=now)
    shift.remove_volunteer(volunteer.id, reason, to.id)
    volunteer.lose_shift(shift.id, reason, "moved")
    return sign_up(to, volunteer, key, now)


def _takes(to: Shift, volunteer: Volunteer, leaving: Shift, now: datetime) -> None:
    """Whether ``to`` would take the volunteer once off ``leaving``: checked before anything
    changes, so a refused move leaves both shifts as they were."""
    if now >= to.ends_at:
        raise ShiftOver()
    if to.is_full:
        raise ShiftFull(capacity=to.capacity)
    for programme in REQUIRED_FOR_ROLE.get(to.role, ()):
        if not volunteer.holds(programme, to.ends_at):
            raise MissingCertificate(programme=programme.value)
    if volunteer.clash_besides(leaving.id, to.starts_at, to.ends_at) is not None:
        raise OverlappingShift()


def _still_open(shift: Shift, now: datetime) -> None:
    if shift.cancelled:
        raise ShiftCancelled()
    if now >= shift.ends_at:
        raise ShiftOver()
