"""A shift: a role at a site from start to end, with a capacity of volunteers."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound, RuleViolation
from coordination.fingerprints import stable_id

MAX_CAPACITY = 100_000
MAX_LENGTH = timedelta(hours=16)


class ShiftRole(StrEnum):
    PACKER = "packer"
    LINE_LEAD = "line_lead"
    LOADER = "loader"
    RUNNER = "runner"
    REGISTRAR = "registrar"
    MEDIC = "medic"
    DISTRIBUTOR = "distributor"
    COOK = "cook"
    DRIVER = "driver"


class Shift(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Scheduled: ClassVar[type[Aggregate.Event]]
        SignedUp: ClassVar[type[Aggregate.Event]]
        Withdrawn: ClassVar[type[Aggregate.Event]]
        Rescheduled: ClassVar[type[Aggregate.Event]]
        Cancelled: ClassVar[type[Aggregate.Event]]
        VolunteerRemoved: ClassVar[type[Aggregate.Event]]
        WaitlistJoined: ClassVar[type[Aggregate.Event]]
        WaitlistLeft: ClassVar[type[Aggregate.Event]]
        PromotedFromWaitlist: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(site_id: UUID, role: str, starts_at: datetime) -> UUID:
        return stable_id("shift", str(site_id), role, starts_at.isoformat())

    @classmethod
    def schedule(
        cls,
        site_id: UUID,
        governorate: str,
        role: str,
        starts_at: datetime,
        ends_at: datetime,
        capacity: int,
    ) -> Shift:
        try:
            role = ShiftRole(role).value
        except ValueError:
            raise UnknownRole(role=role) from None
        cls.check_plan(starts_at, ends_at, capacity)
        return cls(site_id, governorate, role, starts_at, ends_at, capacity)

    @event("Scheduled")
    def __init__(
        self,
        site_id: UUID,
        governorate: str,
        role: str,
        starts_at: datetime,
        ends_at: datetime,
        capacity: int,
    ) -> None:
        self.site_id, self.governorate, self.role = site_id, governorate, role
        self.starts_at, self.ends_at, self.capacity = starts_at, ends_at, capacity
        self.volunteers: dict[UUID, str] = {}
        self.answered_keys: dict[str, UUID] = {}
        self.cancelled_reason: str | None = None
        self.waiting: list[UUID] = []  # in the order they joined

    @property
    def taken(self) -> int:
        return len(self.volunteers)

    @property
    def is_full(self) -> bool:
        return self.taken >= self.capacity

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at

    @event("SignedUp")
    def take_place(self, volunteer_id: UUID, idempotency_key: str) -> None:
        self.volunteers[volunteer_id] = idempotency_key
        self.answered_keys[idempotency_key] = volunteer_id

    @event("Withdrawn")
    def release_place(self, volunteer_id: UUID) -> None:
        del self.volunteers[volunteer_id]

    @property
    def cancelled(self) -> bool:
        return self.cancelled_reason is not None

    @staticmethod
    def check_plan(starts_at: datetime, ends_at: datetime, capacity: int) -> None:
        if starts_at.tzinfo is None or not starts_at < ends_at <= starts_at + MAX_LENGTH:
            raise InvalidShiftTimes()
        if not 1 <= capacity <= MAX_CAPACITY:
            raise InvalidCapacity(maximum=MAX_CAPACITY)

    @event("Rescheduled")
    def reschedule(self, starts_at: datetime, ends_at: datetime, capacity: int) -> None:
        self.starts_at, self.ends_at, self.capacity = starts_at, ends_at, capacity

    @event("Cancelled")
    def cancel(self, reason: str) -> None:
        """Every place is given back; the volunteers keep the reason on their page."""
        self.cancelled_reason = reason
        self.volunteers.clear()
        self.waiting = []

    @event("VolunteerRemoved")
    def remove_volunteer(self, volunteer_id: UUID, reason: str, moved_to: UUID | None) -> None:
        del self.volunteers[volunteer_id]

    def position_of(self, volunteer_id: UUID) -> int | None:
        """One for the head of the waitlist; None for someone not waiting."""
        try:
            return self.waiting.index(volunteer_id) + 1
        except ValueError:
            return None

    @event("WaitlistJoined")
    def join_waitlist(self, volunteer_id: UUID) -> None:
        self.waiting = [*self.waiting, volunteer_id]

    @event("WaitlistLeft")
    def leave_waitlist(self, volunteer_id: UUID) -> None:
        self.waiting = [v for v in self.waiting if v != volunteer_id]

    @event("PromotedFromWaitlist")
    def promote(self, volunteer_id: UUID) -> None:
        """A freed place given to a waiting volunteer, who leaves the waitlist."""
        self.waiting = [v for v in self.waiting if v != volunteer_id]
        self.volunteers[volunteer_id] = f"waitlist:{volunteer_id}"


class UnknownRole(InvalidInput):
    code = "unknown_role"


class InvalidShiftTimes(InvalidInput):
    code = "invalid_shift_times"


class InvalidCapacity(InvalidInput):
    code = "invalid_capacity"


class ShiftNotFound(NotFound):
    code = "shift_not_found"


class ShiftFull(RuleViolation):
    code = "shift_full"


class ShiftOver(RuleViolation):
    code = "shift_over"


class ShiftStarted(RuleViolation):
    code = "shift_started"


class ShiftCancelled(RuleViolation):
    code = "shift_cancelled"


class ShiftNotFull(RuleViolation):
    code = "shift_not_full"


class NotWaiting(RuleViolation):
    code = "not_waiting"


class CapacityBelowTaken(RuleViolation):
    code = "capacity_below_taken"


class NotOnShift(RuleViolation):
    code = "not_on_shift"
