"""A truckload: a counted load sent from a site to a distribution point, counted again there."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound, RuleViolation
from coordination.fingerprints import stable_id
from coordination.stock import MAX_COUNT

MAX_LABEL = 40


def check_label(label: str) -> str:
    label = " ".join(label.split())
    if len(label) > MAX_LABEL:
        raise InvalidTruckLabel(maximum=MAX_LABEL)
    return label


class Truckload(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Dispatched: ClassVar[type[Aggregate.Event]]
        Received: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(from_site_id: UUID, key: str) -> UUID:
        return stable_id("truckload", str(from_site_id), key)

    @event("Dispatched")
    def __init__(
        self,
        from_site_id: UUID,
        key: str,
        to_point_id: UUID,
        to_governorate: str,
        item: str,
        count: int,
        label: str,
        at: datetime,
    ) -> None:
        self.from_site_id, self.to_point_id = from_site_id, to_point_id
        self.to_governorate, self.item = to_governorate, item
        self.count, self.label, self.dispatched_at = count, label, at
        self.received: int | None = None

    def confirm(self, received: int, at: datetime) -> bool:
        """The count at the point; a discrepancy is recorded as it is, never corrected away."""
        if self.received is not None:
            if received != self.received:
                raise AlreadyReceived(received=self.received)
            return False
        if not 0 <= received <= MAX_COUNT:
            raise InvalidReceivedCount(maximum=MAX_COUNT)
        self._received(received, at, received - self.count)
        return True

    @event("Received")
    def _received(self, received: int, at: datetime, discrepancy: int) -> None:
        self.received = received


class InvalidTruckLabel(InvalidInput):
    code = "invalid_truck_label"


class InvalidReceivedCount(InvalidInput):
    code = "invalid_received_count"


class AlreadyReceived(RuleViolation):
    code = "already_received"


class TruckloadNotFound(NotFound):
    code = "truckload_not_found"
