"""What an association's coordinator asks of the unified volunteer database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from coordination.errors import DomainError

Outcome = str | DomainError  # "created", "asked", "existing" or the reason it was refused


@dataclass(frozen=True)
class ImportVolunteers:
    """Rows of ``full_name``, ``phone``, ``national_id`` and ``governorate``; one outcome each.
    ``keys``, one per row, make a retried chunk answer as the first time ("created" again)."""

    association_id: UUID
    rows: Sequence[Mapping[str, str]]
    keys: Sequence[str] = ()


@dataclass(frozen=True)
class AnswerLinkRequest:
    """Only the volunteer answers an association asking to count them among its own."""

    association_id: UUID
    accepts: bool


@dataclass(frozen=True)
class AnswerVerification:
    """The importing association's coordinator or the room confirms or rejects a registration
    that claimed an imported record's national ID with another mobile number."""

    volunteer_id: UUID
    confirms: bool
