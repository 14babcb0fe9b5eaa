"""What a volunteer or the staff in charge ask of a shift's places."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from coordination.signup import SignUpOutcome
from coordination.text import KEY, free_text


@free_text(idempotency_key=KEY)
@dataclass(frozen=True)
class SignUp:
    shift_id: UUID
    volunteer_id: UUID
    idempotency_key: str = ""


@dataclass(frozen=True)
class Withdraw:
    shift_id: UUID
    volunteer_id: UUID


@dataclass(frozen=True)
class SignUpResult:
    outcome: SignUpOutcome
    shift_id: UUID
    volunteer_id: UUID
    taken: int
    capacity: int


@dataclass(frozen=True)
class JoinWaitlist:
    shift_id: UUID
    volunteer_id: UUID


@dataclass(frozen=True)
class LeaveWaitlist:
    shift_id: UUID
    volunteer_id: UUID


@dataclass(frozen=True)
class WaitlistPlace:
    shift_id: UUID
    volunteer_id: UUID
    position: int | None  # None once off the waitlist


@dataclass(frozen=True)
class ReadInbox:
    volunteer_id: UUID
