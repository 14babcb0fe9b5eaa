"""A full shift's waitlist: joining, leaving, and freed places given to the first waiting
volunteer for whom every sign-up rule holds, in the same write that freed them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from coordination.errors import RuleViolation
from coordination.shift import NotWaiting, Shift, ShiftCancelled, ShiftNotFull, ShiftOver
from coordination.training import REQUIRED_FOR_ROLE, MissingCertificate
from coordination.volunteer import OverlappingShift, RegistrationBeingChecked, Volunteer

HEAD = 8  # waiting volunteers read with a shift whose place may be freed
MAX_PASSED_OVER = 50  # waiting volunteers one decision may look at and pass over


def waiting_head(shift: Shift | None) -> tuple[UUID, ...]:
    """Those a freed place would go to first, read with the shift before deciding."""
    return tuple(shift.waiting[:HEAD]) if shift is not None else ()


def join(shift: Shift, volunteer: Volunteer, now: datetime) -> int:
    """The volunteer's place in the line: 1 is next. Joining twice keeps the first place."""
    if volunteer.id in shift.volunteers:
        raise AlreadyOnShift()
    position = shift.position_of(volunteer.id)
    if position is not None:
        return position
    if shift.cancelled:
        raise ShiftCancelled()
    if now >= shift.ends_at:
        raise ShiftOver()
    if not shift.is_full:
        raise ShiftNotFull()
    check_rules(shift, volunteer)
    shift.join_waitlist(volunteer.id)
    return len(shift.waiting)


def leave(shift: Shift, volunteer_id: UUID) -> None:
    if shift.position_of(volunteer_id) is None:
        raise NotWaiting()
    shift.leave_waitlist(volunteer_id)


def check_rules(shift: Shift, volunteer: Volunteer) -> None:
    """The sign-up rules a place would be refused by (the shift's own places aside)."""
    if volunteer.claimant is not None:
        raise RegistrationBeingChecked()
    for programme in REQUIRED_FOR_ROLE.get(shift.role, ()):
        if not volunteer.holds(programme, shift.ends_at):
            raise MissingCertificate(programme=programme.value)
    clash = volunteer.clashing_shift(shift.starts_at, shift.ends_at)
    if clash is not None and clash != shift.id:
        raise OverlappingShift(other_shift_id=str(clash))


def fill_places(
    shift: Shift, volunteer: Callable[[UUID], Volunteer | None], now: datetime
) -> list[UUID]:
    """Gives every free place to the waiting, in their order; one whom a rule refuses now
    (a shift taken since, a certificate lapsed) keeps their place in the line."""
    if shift.cancelled or now >= shift.ends_at:
        return []
    promoted: list[UUID] = []
    passed_over = 0
    for waiting_id in list(shift.waiting):
        if shift.is_full or passed_over >= MAX_PASSED_OVER:
            break
        waiting = volunteer(waiting_id)
        if waiting is None:
            shift.leave_waitlist(waiting_id)
            continue
        try:
            check_rules(shift, waiting)
        except (RegistrationBeingChecked, MissingCertificate, OverlappingShift):
            passed_over += 1
            continue
        shift.promote(waiting_id)
        waiting.take_shift(shift.id, shift.starts_at, shift.ends_at)
        promoted.append(waiting_id)
    return promoted


class AlreadyOnShift(RuleViolation):
    code = "already_on_shift"
