"""What associations and their volunteers ask of an exchange request."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from coordination.text import LONG, free_text


@free_text(note=LONG)
@dataclass(frozen=True)
class RequestVolunteers:
    association_id: UUID
    shift_id: UUID
    asked: int
    note: str = ""


@dataclass(frozen=True)
class OfferVolunteer:
    """A coordinator offers one of the association's own volunteers."""

    request_id: UUID
    volunteer_id: UUID


@dataclass(frozen=True)
class AnswerOffer:
    """Only the volunteer answers, for themself."""

    request_id: UUID
    consents: bool


@dataclass(frozen=True)
class AcceptOffer:
    """The asking association takes the volunteer, signed up to the shift in the same write."""

    request_id: UUID
    volunteer_id: UUID


@dataclass(frozen=True)
class DeclineOffer:
    request_id: UUID
    volunteer_id: UUID
