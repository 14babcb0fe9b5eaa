"""A household, known by a keyed hash of its head's national ID, and what it received per round."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound
from coordination.fingerprints import stable_id

MAX_SIZE = 30


class Household(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Received: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(national_id_hash: str) -> UUID:
        return stable_id("household", national_id_hash)

    @classmethod
    def register(
        cls,
        national_id_hash: str,
        last_four: str,
        size: int,
        governorate: str,
        import_key: str | None = None,
    ) -> Household:
        if not 1 <= size <= MAX_SIZE:
            raise InvalidHouseholdSize(maximum=MAX_SIZE)
        return cls(national_id_hash, last_four, size, governorate, import_key)

    class Registered(Aggregate.Created):
        """``import_key``: the row of a list that registered it (None: registered by hand, or
        before keys were kept), so a chunk of the list decided again answers "registered"."""

        class_version = 2
        national_id_hash: str
        last_four: str
        size: int
        governorate: str
        import_key: str | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["import_key"] = None

    @event(Registered)
    def __init__(
        self,
        national_id_hash: str,
        last_four: str,
        size: int,
        governorate: str,
        import_key: str | None = None,
    ) -> None:
        self.import_key = import_key
        self.national_id_hash, self.last_four = national_id_hash, last_four
        self.size, self.governorate = size, governorate
        self.received: dict[str, tuple[UUID, str, int, datetime, UUID]] = {}

    def taken(self, round_id: UUID, item: str) -> int:
        return sum(
            count
            for (rid, kind, count, _, _) in self.received.values()
            if rid == round_id and kind == item
        )

    def last_receipt(self, round_id: UUID, item: str) -> tuple[datetime, UUID] | None:
        receipts = [
            (at, point)
            for (rid, kind, _, at, point) in self.received.values()
            if rid == round_id and kind == item
        ]
        return max(receipts) if receipts else None

    @event("Received")
    def receive(
        self,
        key: str,
        round_id: UUID,
        item: str,
        count: int,
        at: datetime,
        point_id: UUID,
        point_governorate: str,
        volunteer_id: UUID | None,
    ) -> None:
        self.received[key] = (round_id, item, count, at, point_id)


class InvalidHouseholdSize(InvalidInput):
    code = "invalid_household_size"


class HouseholdNotFound(NotFound):
    code = "household_not_found"
