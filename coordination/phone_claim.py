"""A phone number's claim by one volunteer: the store's uniqueness keeps it to one."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import RuleViolation
from coordination.fingerprints import stable_id


class PhoneClaim(Aggregate):
    @staticmethod
    def create_id(phone_hash: str) -> UUID:
        return stable_id("phone", phone_hash)

    @event("Claimed")
    def __init__(self, phone_hash: str, volunteer_id: UUID) -> None:
        self.phone_hash, self.volunteer_id = phone_hash, volunteer_id


class PhoneTaken(RuleViolation):
    code = "phone_taken"
