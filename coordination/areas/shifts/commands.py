"""What the staff who run a site ask of its shifts and of the volunteers on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from coordination.text import LABEL, free_text


@dataclass(frozen=True)
class PlannedShift:
    role: str
    starts_at: datetime
    ends_at: datetime
    capacity: int


@dataclass(frozen=True)
class PlanShifts:
    """A day's grid (roles by time blocks, each with its places) scheduled in one write."""

    site_id: UUID
    shifts: tuple[PlannedShift, ...]


@dataclass(frozen=True)
class PlannedDay:
    scheduled: tuple[UUID, ...]
    already_there: int


@dataclass(frozen=True)
class ChangeShift:
    shift_id: UUID
    starts_at: datetime
    ends_at: datetime
    capacity: int


@free_text(reason=LABEL)
@dataclass(frozen=True)
class CancelShift:
    shift_id: UUID
    reason: str


@free_text(reason=LABEL)
@dataclass(frozen=True)
class RemoveVolunteer:
    shift_id: UUID
    volunteer_id: UUID
    reason: str


@free_text(reason=LABEL)
@dataclass(frozen=True)
class MoveVolunteer:
    shift_id: UUID
    volunteer_id: UUID
    to_shift_id: UUID
    reason: str


@dataclass(frozen=True)
class ReleaseNoShows:
    """A round under way: places of volunteers not checked in go to those waiting."""

    shift_id: UUID
