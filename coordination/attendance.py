"""A volunteer's attendance on one shift: check-in, check-out, place on the floor, no-show.

One aggregate per shift and volunteer, so a double scan at two desks meets the same
aggregate and is recorded once; hours are credited from check-in to check-out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, RuleViolation
from coordination.fingerprints import stable_id

EARLY_CHECK_IN = timedelta(hours=2)
MAX_ZONE = 60


class Position(StrEnum):
    PACKER = "packer"
    LINE_LEAD = "line_lead"
    LOADER = "loader"
    RUNNER = "runner"
    REGISTRAR = "registrar"
    MEDIC = "medic"


def check_position(position: str) -> str:
    try:
        return Position(position).value
    except ValueError:
        raise UnknownPosition(position=position) from None


def check_zone(zone: str) -> str:
    zone = " ".join(zone.split())
    if not 0 < len(zone) <= MAX_ZONE:
        raise InvalidZone(maximum=MAX_ZONE)
    return zone


class Attendance(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Opened: ClassVar[type[Aggregate.Event]]
        CheckedOut: ClassVar[type[Aggregate.Event]]
        Assigned: ClassVar[type[Aggregate.Event]]
        NoShow: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(shift_id: UUID, volunteer_id: UUID) -> UUID:
        return stable_id("attendance", str(shift_id), str(volunteer_id))

    @event("Opened")
    def __init__(
        self,
        shift_id: UUID,
        volunteer_id: UUID,
        site_id: UUID,
        governorate: str,
        starts_at: datetime,
        ends_at: datetime,
    ) -> None:
        self.shift_id, self.volunteer_id = shift_id, volunteer_id
        self.site_id, self.governorate = site_id, governorate
        self.starts_at, self.ends_at = starts_at, ends_at
        self.checked_in_at: datetime | None = None
        self.checked_out_at: datetime | None = None
        self.place: tuple[str, UUID | None, str] | None = None
        self.no_show = False

    def may_check_in(self, at: datetime) -> bool:
        """False for a double scan; raises when the shift is not open for arrivals."""
        if self.checked_in_at is not None:
            return False
        if at >= self.ends_at:
            raise ShiftAlreadyEnded()
        if at < self.starts_at - EARLY_CHECK_IN:
            raise TooEarlyToCheckIn(hours=int(EARLY_CHECK_IN.total_seconds() // 3600))
        return True

    def check_in(
        self,
        desk: str,
        at: datetime,
        key: str,
        walk_in: bool,
        received_at: datetime | None = None,
        device_id: UUID | None = None,
    ) -> bool:
        """``received_at``: when the server had the scan of an offline desk (None: at ``at``);
        ``device_id``: the desk device that scanned (None: a person at the desk page)."""
        if not self.may_check_in(at):
            return False
        self._checked_in(desk[:80], at, key, walk_in, received_at, device_id)
        return True

    class CheckedIn(Aggregate.Event):
        """Arrived, scanned at ``desk`` at ``at``. Version 2 names the desk device that scanned
        (``device_id``), None on older events and when a person scanned at the desk page."""

        class_version = 2
        desk: str
        at: datetime
        key: str
        walk_in: bool
        received_at: datetime | None = None
        device_id: UUID | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("received_at", None)
            state["device_id"] = None

    @event(CheckedIn)
    def _checked_in(
        self,
        desk: str,
        at: datetime,
        key: str,
        walk_in: bool,
        received_at: datetime | None = None,
        device_id: UUID | None = None,
    ) -> None:
        self.checked_in_at = at

    def check_out(self, desk: str, at: datetime, key: str) -> bool:
        if self.checked_in_at is None:
            raise NotCheckedIn()
        if self.checked_out_at is not None:
            return False
        at = max(at, self.checked_in_at)
        seconds = int((at - self.checked_in_at).total_seconds())
        self._checked_out(desk[:80], at, key, seconds)
        return True

    @event("CheckedOut")
    def _checked_out(self, desk: str, at: datetime, key: str, seconds: int) -> None:
        self.checked_out_at = at

    def assign(self, zone: str, line_id: UUID | None, position: str, by: UUID | None) -> bool:
        """One place at a time: a new assignment moves the volunteer; the same one is a no-op."""
        if self.checked_out_at is not None:
            raise AlreadyCheckedOut()
        place = (check_zone(zone), line_id, check_position(position))
        if place == self.place:
            return False
        self._assigned(*place, by)
        return True

    @event("Assigned")
    def _assigned(self, zone: str, line_id: UUID | None, position: str, by: UUID | None) -> None:
        self.place = (zone, line_id, position)

    def mark_no_show(self, now: datetime) -> bool:
        if self.checked_in_at is not None or self.no_show or now < self.ends_at:
            return False
        self._no_show()
        return True

    @event("NoShow")
    def _no_show(self) -> None:
        self.no_show = True


class UnknownPosition(InvalidInput):
    code = "unknown_position"


class InvalidZone(InvalidInput):
    code = "invalid_zone"


class ShiftAlreadyEnded(RuleViolation):
    code = "shift_over"


class TooEarlyToCheckIn(RuleViolation):
    code = "too_early_to_check_in"


class NotCheckedIn(RuleViolation):
    code = "not_checked_in"


class AlreadyCheckedOut(RuleViolation):
    code = "already_checked_out"


class NotSignedUpHere(RuleViolation):
    code = "not_signed_up_here"
