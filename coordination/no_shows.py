"""Places held by volunteers who have not come, given to those waiting once a shift is under
way: released and refilled in one write, never more released than the waiting can take."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from uuid import UUID

from coordination.attendance import Attendance
from coordination.errors import RuleViolation
from coordination.shift import Shift
from coordination.volunteer import Volunteer
from coordination.waitlist import MAX_PASSED_OVER, check_rules, fill_places

GRACE = timedelta(minutes=30)  # after the start, someone not checked in is not coming
WHY = "no_show"  # the staff's reason stays empty: nobody decided it, the clock did


def release_no_shows(
    shift: Shift,
    on_shift: Mapping[UUID, Volunteer],
    attendance: Callable[[UUID], Attendance | None],
    waiting: Callable[[UUID], Volunteer | None],
    now: datetime,
) -> list[UUID]:
    """Those released, the last to sign up first; each place goes to the waiting in order."""
    if shift.cancelled or not shift.waiting or not shift.starts_at + GRACE <= now < shift.ends_at:
        return []
    absent = [
        volunteer_id
        for volunteer_id in reversed(list(shift.volunteers))
        if _not_come(attendance(volunteer_id))
    ]
    released = absent[: _takers(shift, waiting)]
    for volunteer_id in released:
        shift.remove_volunteer(volunteer_id, "", None)
        on_shift[volunteer_id].lose_shift(shift.id, "", WHY)
    fill_places(shift, waiting, now)
    return released


def _not_come(attendance: Attendance | None) -> bool:
    return attendance is None or attendance.checked_in_at is None


def _takers(shift: Shift, waiting: Callable[[UUID], Volunteer | None]) -> int:
    """How many of the waiting every sign-up rule lets onto the shift now."""
    takers = 0
    for volunteer_id in shift.waiting[:MAX_PASSED_OVER]:
        volunteer = waiting(volunteer_id)
        if volunteer is None:
            continue
        try:
            check_rules(shift, volunteer)
        except RuleViolation:
            continue
        takers += 1
    return takers
