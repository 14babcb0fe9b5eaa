"""Arrivals and departures at a desk, places on the floor, no-shows after the shift.

A scan of a shift whose site and times this process remembers, naming the volunteer by badge
or id, is decided without reading the store before it is enqueued: the check-in burst at the
gates runs on the event loop, without a thread per scan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from coordination.areas.attendance.commands import (
    AssignPlace,
    AttendanceState,
    CheckIn,
    CheckOut,
    MarkNoShows,
)
from coordination.areas.attendance.lookups import (
    SiteFacts,
    current_shift,
    desk_site,
    names_by_phone,
    remembers_scan,
    shift_facts,
    volunteer_named,
)
from coordination.areas.attendance.policy import may_place, may_scan, runs_rounds
from coordination.attendance import Attendance, NotSignedUpHere
from coordination.dispatch import Decision, Store, handles
from coordination.dispatch.keys import keyed, with_key
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.shift import Shift, ShiftNotFound
from coordination.signup import sign_up
from coordination.site import LineNotFound, Site, SiteNotFound
from coordination.training import REQUIRED_FOR_ROLE, MissingCertificate
from coordination.volunteer import Volunteer, VolunteerNotFound

NO_SHOWS_PER_WRITE = 200
OFFLINE_AT_MOST = timedelta(days=1)  # a device clock wrong by more is not believed


def scan_remembered(store: Store, command: CheckIn | CheckOut) -> bool:
    """Whether the scan is decided without reading the store first (see the module)."""
    return remembers_scan(store, command.site_id, command.shift_id) and not names_by_phone(
        command.badge, command.phone
    )


def scanned_at(at: datetime | None, received: datetime) -> datetime:
    """The device's time of an offline scan, never after its receipt nor a day before it."""
    if at is None:
        return received
    at = at if at.tzinfo else at.replace(tzinfo=received.tzinfo)
    return max(min(at, received), received - OFFLINE_AT_MOST)


@handles(CheckIn, planned=scan_remembered)
def check_in(store: Store, command: CheckIn, actor: Actor) -> Decision[AttendanceState]:
    site = _scanning_at(store, actor, command.site_id)
    volunteer_id = volunteer_named(store, command.volunteer_id, command.badge, command.phone)
    shift_id, walk_in, desk = command.shift_id, command.walk_in, command.desk
    received = store.clock()
    now = scanned_at(command.at, received)
    facts = (
        shift_facts(store, shift_id)
        if shift_id
        else current_shift(store, site.id, volunteer_id, now)
    )
    if facts.site_id != site.id:
        raise ShiftNotFound()
    attendance_id = Attendance.create_id(facts.shift_id, volunteer_id)
    key = command.idempotency_key.strip()[:100] or str(attendance_id)

    def times(aggregates: dict[UUID, Any], volunteer: Volunteer) -> tuple[datetime, datetime]:
        """The shift's times now: the volunteer's copy follows a change, a walk-in's shift
        is read with the decision anyway."""
        held = volunteer.shifts.get(facts.shift_id)
        if held is not None:
            return held
        if walk_in:
            shift = store.held(aggregates, facts.shift_id, Shift, ShiftNotFound)
            return shift.starts_at, shift.ends_at
        return facts.starts_at, facts.ends_at

    def decide(aggregates: dict[UUID, Any]) -> AttendanceState:
        volunteer = store.held(aggregates, volunteer_id, Volunteer, VolunteerNotFound)
        attendance = aggregates.get(attendance_id) or Attendance(
            facts.shift_id, volunteer.id, site.id, site.governorate, *times(aggregates, volunteer)
        )
        if not attendance.may_check_in(now):
            return state_of(attendance, False)
        joined = facts.shift_id not in volunteer.shifts
        if joined and not walk_in:
            raise NotSignedUpHere()
        if joined:
            shift = store.held(aggregates, facts.shift_id, Shift, ShiftNotFound)
            sign_up(shift, volunteer, key, now)
        received_at = received if command.at else None
        attendance.check_in(desk, now, key, joined, received_at, actor.device_id)
        aggregates[attendance_id] = attendance
        return state_of(attendance, True, joined)

    needs = (attendance_id, volunteer_id, *((facts.shift_id,) if walk_in else ()))
    contested = (facts.shift_id,) if walk_in else ()  # scans of others never contend
    request = keyed(
        site.id,
        command.idempotency_key,
        "CheckIn",
        command.volunteer_id,
        command.badge,
        command.phone,
        command.shift_id,
        walk_in,
        desk,
        command.at,
    )
    return with_key(Decision(decide, needs, lock=attendance_id, contested=contested), request)


@handles(CheckOut, planned=scan_remembered)
def check_out(store: Store, command: CheckOut, actor: Actor) -> Decision[AttendanceState]:
    site = _scanning_at(store, actor, command.site_id)
    volunteer_id = volunteer_named(store, command.volunteer_id, command.badge, command.phone)
    now, shift_id = scanned_at(command.at, store.clock()), command.shift_id
    if shift_id is None:
        shift_id = current_shift(store, site.id, volunteer_id, now, leaving=True).shift_id
    attendance_id = Attendance.create_id(shift_id, volunteer_id)
    desk, key = command.desk, command.idempotency_key.strip()[:100]

    def decide(aggregates: dict[UUID, Any]) -> AttendanceState:
        attendance = aggregates.get(attendance_id)
        if attendance is None or attendance.site_id != site.id:
            raise NotSignedUpHere()
        recorded = attendance.check_out(desk, now, key)
        return state_of(attendance, recorded)

    request = keyed(
        site.id,
        command.idempotency_key,
        "CheckOut",
        command.volunteer_id,
        command.badge,
        command.phone,
        command.shift_id,
        desk,
        command.at,
    )
    return with_key(Decision(decide, (attendance_id,), lock=attendance_id, contested=()), request)


@handles(AssignPlace)
def assign_place(store: Store, command: AssignPlace, actor: Actor) -> bool:
    volunteer_id = volunteer_named(store, command.volunteer_id, command.badge, command.phone)
    shift_id, line_id = command.shift_id, command.line_id
    facts = shift_facts(store, shift_id)

    def attempt() -> bool:
        site = store.get(facts.site_id, Site, SiteNotFound)
        require(may_place(actor, site.id, site.governorate))
        where = command.zone
        if line_id is not None:
            if line_id not in site.lines:
                raise LineNotFound()
            where = site.lines[line_id][1]
        attendance = store.find(Attendance.create_id(shift_id, volunteer_id), Attendance)
        if attendance is None:
            volunteer = store.get(volunteer_id, Volunteer, VolunteerNotFound)
            if shift_id not in volunteer.shifts:
                raise NotSignedUpHere()
            attendance = Attendance(
                shift_id,
                volunteer_id,
                site.id,
                site.governorate,
                facts.starts_at,
                facts.ends_at,
            )
        _require_certificates(store, volunteer_id, command.position, facts.ends_at)
        moved = attendance.assign(where, line_id, command.position, actor.account_id)
        if moved:
            store.save(attendance)
        return moved

    with store.locks(("attendance", shift_id, volunteer_id)):
        return retrying(attempt)


def _require_certificates(store: Store, volunteer_id: UUID, position: str, until: datetime) -> None:
    """A place as line lead, medic or cook needs the certificate a sign-up for it needs."""
    required = REQUIRED_FOR_ROLE.get(position, ())
    if required:
        volunteer = store.get(volunteer_id, Volunteer, VolunteerNotFound)
        for programme in required:
            if not volunteer.holds(programme, until):
                raise MissingCertificate(programme=programme.value)


@handles(MarkNoShows)
def mark_no_shows(store: Store, command: MarkNoShows, actor: Actor) -> int:
    require(runs_rounds(actor))
    shift = store.get(command.shift_id, Shift, ShiftNotFound)
    now = store.clock()
    if now < shift.ends_at:
        return 0
    marked: list[Attendance] = []
    for volunteer_id in list(shift.volunteers):
        attendance = store.find(Attendance.create_id(shift.id, volunteer_id), Attendance)
        if attendance is None:
            attendance = Attendance(
                shift.id,
                volunteer_id,
                shift.site_id,
                shift.governorate,
                shift.starts_at,
                shift.ends_at,
            )
        if attendance.mark_no_show(now):
            marked.append(attendance)
    for start in range(0, len(marked), NO_SHOWS_PER_WRITE):
        _save_no_shows(store, marked[start : start + NO_SHOWS_PER_WRITE])
    return len(marked)


def state_of(attendance: Attendance, recorded: bool, walk_in: bool = False) -> AttendanceState:
    return AttendanceState(
        attendance.id,
        attendance.shift_id,
        attendance.volunteer_id,
        recorded,
        walk_in,
        attendance.checked_in_at,
        attendance.checked_out_at,
    )


def _scanning_at(store: Store, actor: Actor, site_id: UUID) -> SiteFacts:
    """The desk's packing site; refused unless the actor may scan there."""
    site = desk_site(store, site_id)
    require(may_scan(actor, site.id, site.governorate))
    return site


def _save_no_shows(store: Store, attendances: list[Attendance]) -> None:
    """Saved together; if a desk raced us, each is decided again on its own."""
    try:
        store.save(*attendances)
    except Exception:  # noqa: BLE001 - an integrity conflict: fall back one by one
        for attendance in attendances:
            retrying(_marked_again(store, attendance.shift_id, attendance.volunteer_id))


def _marked_again(store: Store, shift_id: UUID, volunteer_id: UUID) -> Callable[[], None]:
    def attempt() -> None:
        attendance = store.find(Attendance.create_id(shift_id, volunteer_id), Attendance)
        if attendance is not None and attendance.mark_no_show(store.clock()):
            store.save(attendance)

    return attempt
