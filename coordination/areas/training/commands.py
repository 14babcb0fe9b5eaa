"""What organisers and volunteers ask of training sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from coordination.text import LABEL, NAME, free_text


@free_text(programme=LABEL, place=NAME)
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
