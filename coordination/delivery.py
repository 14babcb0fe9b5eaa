"""Items a site takes in from outside the campaign's trucks (donated clothing, lanterns, toys)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.fingerprints import stable_id


class Delivery(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        TakenIn: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(site_id: UUID, key: str) -> UUID:
        return stable_id("delivery", str(site_id), key)

    @event("TakenIn")
    def __init__(self, site_id: UUID, key: str, item: str, count: int, at: datetime) -> None:
        self.site_id, self.key, self.item, self.count, self.at = site_id, key, item, count, at
