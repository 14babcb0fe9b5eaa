"""A volunteer: registered once, identified by a keyed hash of the national ID."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound, RuleViolation
from coordination.fingerprints import stable_id

NAME_LENGTH = range(2, 101)


def clean_full_name(text: str) -> str:
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()
    if len(name) not in NAME_LENGTH:
        raise InvalidName(minimum=NAME_LENGTH.start, maximum=NAME_LENGTH.stop - 1)
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise InvalidName(minimum=NAME_LENGTH.start, maximum=NAME_LENGTH.stop - 1)
    if not any(char.isalpha() for char in name):
        raise InvalidName(minimum=NAME_LENGTH.start, maximum=NAME_LENGTH.stop - 1)
    return name


class Volunteer(Aggregate):
    @staticmethod
    def create_id(national_id_hash: str) -> UUID:
        return stable_id("volunteer", national_id_hash)

    @event("Registered")
    def __init__(
        self,
        national_id_hash: str,
        national_id_last4: str,
        full_name: str,
        phone: str,
        governorate: str,
        association_id: UUID | None,
    ) -> None:
        self.national_id_hash, self.national_id_last4 = national_id_hash, national_id_last4
        self.full_name, self.phone, self.governorate = full_name, phone, governorate
        self.association_id = association_id
        self.shifts: dict[UUID, tuple[datetime, datetime]] = {}
        self.certificates: dict[str, tuple[datetime, UUID]] = {}
        self.serves: set[UUID] = set()

    def link(self, association_id: UUID) -> bool:
        """Serving another association besides the home one; linking twice changes nothing."""
        if association_id == self.association_id or association_id in self.serves:
            return False
        self._linked(association_id)
        return True

    @event("Linked")
    def _linked(self, association_id: UUID) -> None:
        self.serves.add(association_id)

    def holds(self, programme: str, at: datetime) -> bool:
        held = self.certificates.get(programme)
        return held is not None and at <= held[0]

    @event("Certified")
    def certify(self, programme: str, expires_at: datetime, session_id: UUID) -> None:
        """A newer certificate replaces the older one of the same programme."""
        self.certificates[programme] = (expires_at, session_id)

    def clashing_shift(self, starts_at: datetime, ends_at: datetime) -> UUID | None:
        for shift_id, (start, end) in self.shifts.items():
            if start < ends_at and starts_at < end:
                return shift_id
        return None

    @event("ShiftTaken")
    def take_shift(self, shift_id: UUID, starts_at: datetime, ends_at: datetime) -> None:
        self.shifts[shift_id] = (starts_at, ends_at)

    @event("ShiftReleased")
    def release_shift(self, shift_id: UUID) -> None:
        del self.shifts[shift_id]


class InvalidName(InvalidInput):
    code = "invalid_name"


class VolunteerNotFound(NotFound):
    code = "volunteer_not_found"


class AlreadyRegistered(RuleViolation):
    code = "already_registered"


class OverlappingShift(RuleViolation):
    code = "overlapping_shift"
