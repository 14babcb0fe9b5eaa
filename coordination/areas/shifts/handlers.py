"""Planning, changing and cancelling shifts, and removing or moving their volunteers: each
decided over the shift and the volunteers it touches, saved in one write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID, uuid4

from coordination.areas.attendance.policy import runs_rounds
from coordination.areas.shifts.commands import (
    CancelShift,
    ChangeShift,
    MoveVolunteer,
    PlannedDay,
    PlanShifts,
    ReleaseNoShows,
    RemoveVolunteer,
)
from coordination.areas.shifts.policy import runs_shift
from coordination.areas.sign_ups.handlers import waiting_in
from coordination.areas.sites.policy import require_open, runs_site
from coordination.attendance import Attendance
from coordination.dispatch import Decision, Store, handles
from coordination.errors import InvalidInput
from coordination.no_shows import release_no_shows
from coordination.permissions import Actor, require
from coordination.shift import Shift, ShiftNotFound
from coordination.shift_changes import (
    cancel_shift,
    change_shift,
    given,
    move_volunteer,
    remove_volunteer,
)
from coordination.signup import SignUpOutcome
from coordination.site import Site, SiteNotFound
from coordination.volunteer import Volunteer, VolunteerNotFound
from coordination.waitlist import fill_places, waiting_head

T = TypeVar("T")
MAX_PLANNED = 200


class EmptyPlan(InvalidInput):
    code = "empty_plan"


@handles(PlanShifts)
def plan_shifts(store: Store, command: PlanShifts, actor: Actor) -> PlannedDay:
    site = store.get(command.site_id, Site, SiteNotFound)
    require(runs_site(actor, site))
    require_open(site)
    if not 1 <= len(command.shifts) <= MAX_PLANNED:
        raise EmptyPlan(maximum=MAX_PLANNED)
    planned: dict[UUID, Shift] = {}
    for p in command.shifts:
        shift = Shift.schedule(
            site.id, site.governorate, p.role, p.starts_at, p.ends_at, p.capacity
        )
        planned.setdefault(shift.id, shift)
    new = [shift for shift in planned.values() if not store.exists(shift.id)]
    if new:
        store.save(*new)
    return PlannedDay(tuple(shift.id for shift in new), len(planned) - len(new))


@handles(ChangeShift)
def decide_change(store: Store, command: ChangeShift, actor: Actor) -> Decision[bool]:
    c = command
    return _over_shift_and_its_volunteers(
        store,
        actor,
        c.shift_id,
        lambda shift, volunteers: change_shift(
            shift, volunteers, c.starts_at, c.ends_at, c.capacity, store.clock()
        ),
        fills=True,
    )


@handles(CancelShift)
def decide_cancel(store: Store, command: CancelShift, actor: Actor) -> Decision[bool]:
    reason = given(command.reason)
    return _over_shift_and_its_volunteers(
        store,
        actor,
        command.shift_id,
        lambda shift, volunteers: cancel_shift(shift, volunteers, reason, store.clock()),
    )


@handles(RemoveVolunteer)
def decide_removal(store: Store, command: RemoveVolunteer, actor: Actor) -> Decision[None]:
    c, reason = command, given(command.reason)

    def decide(aggregates: dict[UUID, Any]) -> None:
        shift = store.held(aggregates, c.shift_id, Shift, ShiftNotFound)
        volunteer = store.held(aggregates, c.volunteer_id, Volunteer, VolunteerNotFound)
        require(runs_shift(actor, shift))
        remove_volunteer(shift, volunteer, reason, store.clock())
        fill_places(shift, waiting_in(store, aggregates), store.clock())

    head = waiting_head(store.find(c.shift_id, Shift))
    return Decision(decide, (c.shift_id, c.volunteer_id, *head), lock=c.shift_id)


@handles(ReleaseNoShows)
def decide_no_shows(store: Store, command: ReleaseNoShows, actor: Actor) -> Decision[int]:
    """Read with the shift: its volunteers, their attendance and the head of its waitlist."""
    require(runs_rounds(actor))
    known = store.find(command.shift_id, Shift)
    on_shift = tuple(known.volunteers) if known is not None else ()
    attendances = {v: Attendance.create_id(command.shift_id, v) for v in on_shift}

    def decide(aggregates: dict[UUID, Any]) -> int:
        shift = store.held(aggregates, command.shift_id, Shift, ShiftNotFound)
        volunteers = {
            v: store.held(aggregates, v, Volunteer, VolunteerNotFound) for v in shift.volunteers
        }

        def attendance(volunteer_id: UUID) -> Attendance | None:
            found = aggregates.get(Attendance.create_id(shift.id, volunteer_id))
            return found if isinstance(found, Attendance) else None

        waiting = waiting_in(store, aggregates)
        return len(release_no_shows(shift, volunteers, attendance, waiting, store.clock()))

    needs = (command.shift_id, *on_shift, *attendances.values(), *waiting_head(known))
    return Decision(decide, needs, lock=command.shift_id)


@handles(MoveVolunteer)
def decide_move(store: Store, command: MoveVolunteer, actor: Actor) -> Decision[SignUpOutcome]:
    c, reason, key = command, given(command.reason), f"moved:{uuid4()}"

    def decide(aggregates: dict[UUID, Any]) -> SignUpOutcome:
        shift = store.held(aggregates, c.shift_id, Shift, ShiftNotFound)
        to = store.held(aggregates, c.to_shift_id, Shift, ShiftNotFound)
        volunteer = store.held(aggregates, c.volunteer_id, Volunteer, VolunteerNotFound)
        # the volunteer chose this site: the staff move them within it, never to another
        require(runs_shift(actor, shift) and to.site_id == shift.site_id)
        moved = move_volunteer(shift, to, volunteer, reason, key, store.clock())
        fill_places(shift, waiting_in(store, aggregates), store.clock())
        return moved

    head = waiting_head(store.find(c.shift_id, Shift))
    needs = (c.shift_id, c.to_shift_id, c.volunteer_id, *head)
    return Decision(decide, needs, lock=c.shift_id)


def _over_shift_and_its_volunteers(
    store: Store,
    actor: Actor,
    shift_id: UUID,
    decision: Callable[[Shift, list[Volunteer]], T],
    fills: bool = False,
) -> Decision[T]:
    """The volunteers known now are read with the shift; any who signed up since are read
    while deciding, so the write holds every volunteer the shift holds. Places a change
    frees go to the waitlist in the same write."""
    known = store.find(shift_id, Shift)
    volunteer_ids = tuple(known.volunteers) if known is not None else ()
    if fills:
        volunteer_ids += waiting_head(known)

    def decide(aggregates: dict[UUID, Any]) -> T:
        shift = store.held(aggregates, shift_id, Shift, ShiftNotFound)
        require(runs_shift(actor, shift))
        volunteers = [
            store.held(aggregates, v, Volunteer, VolunteerNotFound) for v in shift.volunteers
        ]
        answer = decision(shift, volunteers)
        if fills:
            fill_places(shift, waiting_in(store, aggregates), store.clock())
        store.facts.pop(("shift", shift_id), None)  # a desk's remembered times are stale now
        return answer

    return Decision(decide, (shift_id, *volunteer_ids), lock=shift_id)
