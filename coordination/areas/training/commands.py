"""What organisers and volunteers ask of training sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class ScheduleSession:
    programme: str
    starts_at: datetime
    place: str
    capacity: int


@dataclass(frozen=True)
class Enrol:
    session_id: UUID
    volunteer_id: UUID


@dataclass(frozen=True)
class RecordAttendance:
    """Attending certifies the volunteer, valid for the programme's term from the session."""

    session_id: UUID
    volunteer_id: UUID
