"""A site's stock of items: packed on its lines or received by truck, sent out by truck.

One aggregate per site, so whatever leaves is decided against everything that arrived:
the stock of an item can never go negative. Every entry carries the client's key, so a
retried request records nothing twice; corrections are reversals, never edits.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, RuleViolation
from coordination.fingerprints import stable_id
from coordination.meal_batch import NothingToReverse

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


class Stock(Aggregate):
    @staticmethod
    def create_id(site_id: UUID) -> UUID:
        return stable_id("stock", str(site_id))

    @event("Opened")
    def __init__(self, site_id: UUID, governorate: str) -> None:
        self.site_id, self.governorate = site_id, governorate
        self.on_hand: dict[str, int] = {}
        self.entries: dict[str, tuple[str, str, int]] = {}
        self.reversed: set[str] = set()

    def held(self, item: str) -> int:
        return self.on_hand.get(item, 0)

    def pack(self, key: str, line_id: UUID, count: int, at: datetime) -> bool:
        """False when the key was seen before: the first answer stands."""
        if key in self.entries:
            return False
        self._packed(key, line_id, check_count(count), at)
        return True

    @event("Packed")
    def _packed(self, key: str, line_id: UUID, count: int, at: datetime) -> None:
        self._add(key, "packed", Item.FOOD_BOX, count)

    def reverse(self, key: str, entry_key: str) -> bool:
        if key in self.entries:
            return False
        kind, item, count = self.entries.get(entry_key, ("", "", 0))
        if kind != "packed" or entry_key in self.reversed:
            raise NothingToReverse()
        if count > self.held(item):
            raise AlreadySentOut(on_hand=self.held(item))
        self._reversed(key, entry_key, count)
        return True

    @event("PackingReversed")
    def _reversed(self, key: str, entry_key: str, count: int) -> None:
        self.reversed.add(entry_key)
        self._add(key, "reversal", Item.FOOD_BOX, -count)

    def send(
        self, key: str, truckload_id: UUID, point_id: UUID, item: str, count: int, at: datetime
    ) -> bool:
        if key in self.entries:
            return False
        item, count = check_item(item), check_count(count)
        if count > self.held(item):
            raise NotEnoughStock(on_hand=self.held(item), asked=count)
        self._sent(key, truckload_id, point_id, item, count, at)
        return True

    @event("Sent")
    def _sent(
        self, key: str, truckload_id: UUID, point_id: UUID, item: str, count: int, at: datetime
    ) -> None:
        self._add(key, "sent", item, -count)

    def receive(self, key: str, truckload_id: UUID, item: str, count: int, at: datetime) -> bool:
        if key in self.entries:
            return False
        self._received(key, truckload_id, check_item(item), count, at)
        return True

    @event("Received")
    def _received(self, key: str, truckload_id: UUID, item: str, count: int, at: datetime) -> None:
        self._add(key, "received", item, count)

    def _add(self, key: str, kind: str, item: str, change: int) -> None:
        self.entries[key] = (kind, item, abs(change))
        self.on_hand[item] = self.held(item) + change


class UnknownItem(InvalidInput):
    code = "unknown_item"


class InvalidBoxCount(InvalidInput):
    code = "invalid_box_count"


class NotEnoughStock(RuleViolation):
    code = "not_enough_stock"


class AlreadySentOut(RuleViolation):
    code = "already_sent_out"
