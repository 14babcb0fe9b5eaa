"""Builders of valid test data: national IDs, phone numbers, shift times."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

_serial = itertools.count(1)


def national_id(birth: str = "900101", governorate: str = "01", century: str = "2") -> str:
    """A well-formed national ID; each call gives a new sequence number."""
    return f"{century}{birth}{governorate}{next(_serial) % 10_000:04d}1"


def mobile(n: int | None = None) -> str:
    number = next(_serial) if n is None else n
    return f"010{number % 100_000_000:08d}"


def tomorrow(hour: int = 8) -> datetime:
    day = (datetime.now(UTC) + timedelta(days=1)).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


PASSWORD = "kitchen-lantern-42"


def certified(run: Any, volunteer_id: UUID, programme: str = "line_lead") -> UUID:
    """The volunteer trained in the programme a month ago (``run``: a dispatcher's run)."""
    from coordination.areas.training.commands import Enrol, RecordAttendance, ScheduleSession
    from coordination.permissions import SYSTEM

    month_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
    session = run(ScheduleSession(programme, month_ago, "Training hall", 500), SYSTEM)
    run(Enrol(session, volunteer_id), SYSTEM)
    run(RecordAttendance(session, volunteer_id), SYSTEM)
    return volunteer_id
