"""Check-in desks: arrivals and departures, walk-ins, places on the floor, no-shows."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from coordination.account import Account
from coordination.attendance import EARLY_CHECK_IN, Attendance, NotSignedUpHere
from coordination.badges import volunteer_of_badge
from coordination.commands.base import CommandBase
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.shift import Shift, ShiftNotFound
from coordination.signup import sign_up
from coordination.site import LineNotFound, Site, SiteKind, SiteNotFound
from coordination.volunteer import Volunteer, VolunteerNotFound

MAX_REMEMBERED = 100_000


@dataclass(frozen=True)
class ShiftFacts:
    """What never changes about a shift, remembered so a desk scan need not load it."""

    shift_id: UUID
    site_id: UUID
    governorate: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class SiteFacts:
    id: UUID
    governorate: str


@dataclass(frozen=True)
class AttendanceState:
    attendance_id: UUID
    shift_id: UUID
    volunteer_id: UUID
    recorded: bool
    walk_in: bool
    checked_in_at: datetime | None
    checked_out_at: datetime | None


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


class AttendanceCommands(CommandBase):
    account_id_for: Any

    def volunteer_for_badge(self, code: str) -> UUID:
        return volunteer_of_badge(self.fingerprints, code)

    def volunteer_for_phone(self, phone: str) -> UUID:
        account = self._find(self.account_id_for(phone), Account)
        if account is None or account.volunteer_id is None:
            raise VolunteerNotFound()
        return account.volunteer_id

    def check_in(
        self,
        actor: Actor,
        site_id: UUID,
        volunteer_id: UUID,
        idempotency_key: str,
        *,
        shift_id: UUID | None = None,
        walk_in: bool = False,
        desk: str = "",
    ) -> AttendanceState:
        """A double scan answers as the first; a walk-in takes a free place on the shift."""
        return self.check_in_later(
            actor,
            site_id,
            volunteer_id,
            idempotency_key,
            shift_id=shift_id,
            walk_in=walk_in,
            desk=desk,
        ).result()

    def check_in_later(
        self,
        actor: Actor,
        site_id: UUID,
        volunteer_id: UUID,
        idempotency_key: str,
        *,
        shift_id: UUID | None = None,
        walk_in: bool = False,
        desk: str = "",
    ) -> Future[AttendanceState]:
        """The check-in enqueued; it reads the store first only for what ``remembers_scan``
        does not hold (or, without the shift, for the volunteer's current one)."""
        site = self._desk_site(actor, site_id)
        now = self.clock()
        facts = (
            self._facts(shift_id) if shift_id else self._current_shift(site.id, volunteer_id, now)
        )
        if facts.site_id != site.id:
            raise ShiftNotFound()
        attendance_id = Attendance.create_id(facts.shift_id, volunteer_id)
        key = idempotency_key.strip()[:100] or str(attendance_id)

        def decide(aggregates: dict[UUID, Any]) -> AttendanceState:
            volunteer = self._held(aggregates, volunteer_id, Volunteer, VolunteerNotFound)
            attendance = aggregates.get(attendance_id) or Attendance(
                facts.shift_id,
                volunteer.id,
                site.id,
                site.governorate,
                facts.starts_at,
                facts.ends_at,
            )
            if not attendance.may_check_in(now):
                return state_of(attendance, False)
            joined = facts.shift_id not in volunteer.shifts
            if joined and not walk_in:
                raise NotSignedUpHere()
            if joined:
                shift = self._held(aggregates, facts.shift_id, Shift, ShiftNotFound)
                sign_up(shift, volunteer, key, now)
            attendance.check_in(desk, now, key, joined)
            aggregates[attendance_id] = attendance
            return state_of(attendance, True, joined)

        needs = (attendance_id, volunteer_id, *((facts.shift_id,) if walk_in else ()))
        contested = (facts.shift_id,) if walk_in else ()  # scans of others never contend
        return self._decision(decide, needs, contested, attendance_id)

    def check_out(
        self,
        actor: Actor,
        site_id: UUID,
        volunteer_id: UUID,
        idempotency_key: str,
        *,
        shift_id: UUID | None = None,
        desk: str = "",
    ) -> AttendanceState:
        return self.check_out_later(
            actor, site_id, volunteer_id, idempotency_key, shift_id=shift_id, desk=desk
        ).result()

    def check_out_later(
        self,
        actor: Actor,
        site_id: UUID,
        volunteer_id: UUID,
        idempotency_key: str,
        *,
        shift_id: UUID | None = None,
        desk: str = "",
    ) -> Future[AttendanceState]:
        site = self._desk_site(actor, site_id)
        now = self.clock()
        if shift_id is None:
            shift_id = self._current_shift(site.id, volunteer_id, now, leaving=True).shift_id
        attendance_id = Attendance.create_id(shift_id, volunteer_id)

        def decide(aggregates: dict[UUID, Any]) -> AttendanceState:
            attendance = aggregates.get(attendance_id)
            if attendance is None or attendance.site_id != site.id:
                raise NotSignedUpHere()
            recorded = attendance.check_out(desk, now, idempotency_key.strip()[:100])
            return state_of(attendance, recorded)

        return self._decision(decide, (attendance_id,), (), attendance_id)

    def remembers_scan(self, site_id: UUID, shift_id: UUID | None) -> bool:
        """Whether a scan of this shift at this site is decided without reading the store
        before it is enqueued (the desk's site and the shift are remembered)."""
        return (
            shift_id is not None
            and ("site", site_id) in self.facts
            and ("shift", shift_id) in self.facts
        )

    def assign_place(
        self,
        actor: Actor,
        shift_id: UUID,
        volunteer_id: UUID,
        zone: str,
        position: str,
        line_id: UUID | None = None,
    ) -> bool:
        facts = self._facts(shift_id)

        def attempt() -> bool:
            site = self._get(facts.site_id, Site, SiteNotFound)
            require(actor.manages_site(site.id, site.governorate))
            where = zone
            if line_id is not None:
                if line_id not in site.lines:
                    raise LineNotFound()
                where = site.lines[line_id][1]
            attendance = self._find(Attendance.create_id(shift_id, volunteer_id), Attendance)
            if attendance is None:
                volunteer = self._get(volunteer_id, Volunteer, VolunteerNotFound)
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
            moved = attendance.assign(where, line_id, position, actor.account_id)
            if moved:
                self.save(attendance)
            return moved

        with self.locks(("attendance", shift_id, volunteer_id)):
            return retrying(attempt)

    def mark_no_shows(self, shift_id: UUID) -> int:
        """After the shift: everyone signed up who never arrived. Safe to run again."""
        shift = self._get(shift_id, Shift, ShiftNotFound)
        now = self.clock()
        if now < shift.ends_at:
            return 0
        marked: list[Attendance] = []
        for volunteer_id in list(shift.volunteers):
            attendance = self._find(Attendance.create_id(shift.id, volunteer_id), Attendance)
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
        for start in range(0, len(marked), 200):
            self._save_many(marked[start : start + 200])
        return len(marked)

    def _save_many(self, attendances: list[Attendance]) -> None:
        """Saved together; if a desk raced us, each is decided again on its own."""
        try:
            self.save(*attendances)
        except Exception:  # noqa: BLE001 - an integrity conflict: fall back one by one
            for attendance in attendances:
                retrying(lambda a=attendance: self._mark_again(a.shift_id, a.volunteer_id))

    def _mark_again(self, shift_id: UUID, volunteer_id: UUID) -> None:
        attendance = self._find(Attendance.create_id(shift_id, volunteer_id), Attendance)
        if attendance is not None and attendance.mark_no_show(self.clock()):
            self.save(attendance)

    def _facts(self, shift_id: UUID) -> ShiftFacts:
        def look_up() -> ShiftFacts:
            # A shift's place and times are set when it is scheduled and never change: its
            # first event says them, where reading it whole replays every sign-up.
            shift = self._get(shift_id, Shift, ShiftNotFound, version=1)
            return ShiftFacts(
                shift.id, shift.site_id, shift.governorate, shift.starts_at, shift.ends_at
            )

        return self._remembered(("shift", shift_id), look_up)

    def _remembered(self, key: tuple[str, UUID], look_up: Any) -> Any:
        """Looked up once however many scans ask at the same moment (a shift of a thousand
        sign-ups is costly to read, and the gates open all at once)."""
        facts = self.facts.get(key)
        if facts is None:
            with self.locks(("facts", key)):
                facts = self.facts.get(key)
                if facts is None:
                    facts = look_up()
                    if len(self.facts) > MAX_REMEMBERED:
                        self.facts.clear()
                    self.facts[key] = facts
        return facts

    def _current_shift(
        self, site_id: UUID, volunteer_id: UUID, now: datetime, leaving: bool = False
    ) -> ShiftFacts:
        """The volunteer's shift at this site open for arrivals now (or, leaving, the last one)."""
        volunteer = self._get(volunteer_id, Volunteer, VolunteerNotFound)
        candidates = sorted(
            (start, shift_id)
            for shift_id, (start, end) in volunteer.shifts.items()
            if start - EARLY_CHECK_IN <= now and (leaving or now < end)
        )
        for _, shift_id in reversed(candidates):
            facts = self._facts(shift_id)
            if facts.site_id == site_id:
                return facts
        raise NotSignedUpHere()

    def check_desk(self, actor: Actor, site_id: UUID) -> None:
        """Refused unless the actor may scan at this packing site (its desk or its staff)."""
        self._desk_site(actor, site_id)

    def _desk_site(self, actor: Actor, site_id: UUID) -> SiteFacts:
        def look_up() -> SiteFacts:
            site = self._get(site_id, Site, SiteNotFound)
            if site.kind != SiteKind.PACKING:
                raise SiteNotFound()  # desks check volunteers in and out at packing sites
            return SiteFacts(site.id, site.governorate)

        site = self._remembered(("site", site_id), look_up)
        require(actor.manages_site(site.id, site.governorate) or actor.device_site_id == site.id)
        return site
