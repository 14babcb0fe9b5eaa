"""A site's stock of items: packed on its lines or received by truck, sent out by truck.

One aggregate per site, so whatever leaves is decided against everything that arrived: the
stock of an item can never go negative. It holds counts only; what makes a retried request
count once is the box batch or the truckload saved with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, RuleViolation
from coordination.fingerprints import stable_id

MAX_COUNT = 100_000


class Item(StrEnum):
    FOOD_BOX = "food_box"
    CLOTHING = "clothing"
    LANTERN = "lantern"
    TOY = "toy"


def check_item(item: str) -> str:
    try:
        return Item(item).value
    except ValueError:
        raise UnknownItem(item=item) from None


def check_count(count: int) -> int:
    if not 1 <= count <= MAX_COUNT:
        raise InvalidBoxCount(maximum=MAX_COUNT)
    return count


if TYPE_CHECKING:

    @dataclass(frozen=True)
    class HandedOutTogetherFields(Aggregate.Event):
        """The fields ``@event("HandedOutTogether")`` gives its class, which ``hand_out`` reads."""

        counts: dict[str, int]
        households: int


class Stock(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Opened: ClassVar[type[Aggregate.Event]]
        Packed: ClassVar[type[Aggregate.Event]]
        PackingReversed: ClassVar[type[Aggregate.Event]]
        Sent: ClassVar[type[Aggregate.Event]]
        Received: ClassVar[type[Aggregate.Event]]
        HandedOutTogether: ClassVar[type[HandedOutTogetherFields]]
        HandedOut: ClassVar[type[Aggregate.Event]]

    @staticmethod
    @lru_cache(maxsize=4096)  # asked for every hand-off of an upload
    def create_id(site_id: UUID) -> UUID:
        return stable_id("stock", str(site_id))

    @event("Opened")
    def __init__(self, site_id: UUID, governorate: str) -> None:
        self.site_id, self.governorate = site_id, governorate
        self.on_hand: dict[str, int] = {}

    def held(self, item: str) -> int:
        return self.on_hand.get(item, 0)

    @event("Packed")
    def pack(self, batch_id: UUID, line_id: UUID, count: int, at: datetime) -> None:
        self._add(Item.FOOD_BOX, count)

    def unpack(self, batch_id: UUID, count: int) -> None:
        if count > self.held(Item.FOOD_BOX):
            raise AlreadySentOut(on_hand=self.held(Item.FOOD_BOX))
        self._unpacked(batch_id, count)

    @event("PackingReversed")
    def _unpacked(self, batch_id: UUID, count: int) -> None:
        self._add(Item.FOOD_BOX, -count)

    def send(self, truckload_id: UUID, point_id: UUID, item: str, count: int, at: datetime) -> None:
        if count > self.held(item):
            raise NotEnoughStock(on_hand=self.held(item), asked=count)
        self._sent(truckload_id, point_id, item, count, at)

    @event("Sent")
    def _sent(
        self, truckload_id: UUID, point_id: UUID, item: str, count: int, at: datetime
    ) -> None:
        self._add(item, -count)

    @event("Received")
    def receive(self, source_id: UUID, item: str, count: int, at: datetime) -> None:
        self._add(item, count)

    def hand_out(self, item: str, count: int) -> None:
        """Items given to a household. The hand-outs saved together are one event, however
        many households they went to: each household's own event says what it received, where
        and when."""
        last = self.pending_events[-1] if self.pending_events else None
        if isinstance(last, Stock.HandedOutTogether):
            counts = {**last.counts, item: last.counts.get(item, 0) + count}
            self.pending_events[-1] = replace(last, counts=counts, households=last.households + 1)
            self._add(item, -count)
        else:
            self._handed_out_together({item: count}, 1)

    @event("HandedOutTogether")
    def _handed_out_together(self, counts: dict[str, int], households: int) -> None:
        for item, count in counts.items():
            self._add(item, -count)

    @event("HandedOut")
    def _handed_out_one(
        self, household_id: UUID, round_id: UUID, item: str, count: int, at: datetime
    ) -> None:
        """Written one per household until hand-outs were saved together; still in the log."""
        self._add(item, -count)

    def _add(self, item: str, change: int) -> None:
        self.on_hand[item] = self.held(item) + change


class UnknownItem(InvalidInput):
    code = "unknown_item"


class InvalidBoxCount(InvalidInput):
    code = "invalid_box_count"


class NotEnoughStock(RuleViolation):
    code = "not_enough_stock"


class AlreadySentOut(RuleViolation):
    code = "already_sent_out"
