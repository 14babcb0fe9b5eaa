"""A batch of iftar meals: cooked, then served or discarded; never more out than cooked.

Every entry carries the client's key, so a phone that retries records nothing twice.
Corrections are reversals of an earlier entry, never edits.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound, RuleViolation
from coordination.fingerprints import stable_id
from coordination.iftar import HOLD_TIME

MAX_BATCH = 100_000


class ServedHow(StrEnum):
    ON_SITE = "on_site"
    DELIVERED = "delivered"


class DiscardReason(StrEnum):
    SPOILED = "spoiled"
    LEFT_OVER = "left_over"
    QUALITY = "quality"
    OTHER = "other"


def check_count(count: int) -> int:
    if not 1 <= count <= MAX_BATCH:
        raise InvalidMealCount(maximum=MAX_BATCH)
    return count


class MealBatch(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Cooked: ClassVar[type[Aggregate.Event]]
        Served: ClassVar[type[Aggregate.Event]]
        Discarded: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(kitchen_id: UUID, idempotency_key: str) -> UUID:
        return stable_id("meal-batch", str(kitchen_id), idempotency_key)

    @classmethod
    def cook(
        cls,
        kitchen_id: UUID,
        governorate: str,
        dish: str,
        count: int,
        cooked_at: datetime,
        iftar_at: datetime,
        idempotency_key: str,
    ) -> MealBatch:
        dish = " ".join(dish.split())
        if not 0 < len(dish) <= 80:
            raise InvalidDish()
        return cls(
            kitchen_id, governorate, dish, check_count(count), cooked_at, iftar_at, idempotency_key
        )

    @event("Cooked")
    def __init__(
        self,
        kitchen_id: UUID,
        governorate: str,
        dish: str,
        count: int,
        cooked_at: datetime,
        iftar_at: datetime,
        idempotency_key: str,
    ) -> None:
        self.kitchen_id, self.governorate, self.dish = kitchen_id, governorate, dish
        self.cooked, self.cooked_at, self.iftar_at = count, cooked_at, iftar_at
        self.entries: dict[str, tuple[str, int]] = {idempotency_key: ("cooked", count)}
        self.reversed: set[str] = set()

    @property
    def out(self) -> int:
        return sum(
            count
            for key, (kind, count) in self.entries.items()
            if kind in ("served", "discarded") and key not in self.reversed
        )

    @property
    def left(self) -> int:
        return self.cooked - self.out

    def log_served(
        self, key: str, count: int, served_at: datetime, how: str, point_id: UUID | None
    ) -> bool:
        """False when the key was seen before: the first answer stands, nothing is recorded."""
        if key in self.entries:
            return False
        try:
            how = ServedHow(how).value
        except ValueError:
            raise UnknownServingMode() from None
        self._check_room(check_count(count))
        self._served(
            key,
            count,
            served_at,
            how,
            point_id,
            served_at > self.iftar_at,
            served_at - self.cooked_at > HOLD_TIME,
        )
        return True

    def log_discarded(self, key: str, count: int, reason: str) -> bool:
        if key in self.entries:
            return False
        try:
            reason = DiscardReason(reason).value
        except ValueError:
            raise UnknownDiscardReason() from None
        self._check_room(check_count(count))
        self._discarded(key, count, reason)
        return True

    def reverse(self, key: str, entry_key: str, reason: str = "") -> bool:
        if key in self.entries:
            return False
        kind, count = self.entries.get(entry_key, ("", 0))
        if kind not in ("served", "discarded") or entry_key in self.reversed:
            raise NothingToReverse()
        self._reversed(key, entry_key, kind, count, reason)
        return True

    def _check_room(self, count: int) -> None:
        if count > self.left:
            raise MoreThanCooked(left=self.left)

    @event("Served")
    def _served(
        self,
        key: str,
        count: int,
        served_at: datetime,
        how: str,
        point_id: UUID | None,
        after_sunset: bool,
        past_hold_time: bool,
    ) -> None:
        self.entries[key] = ("served", count)

    @event("Discarded")
    def _discarded(self, key: str, count: int, reason: str) -> None:
        self.entries[key] = ("discarded", count)

    class EntryReversed(Aggregate.Event):
        """An entry taken back, with the reason the person gave ("" for corrections made
        before reasons were kept, and for API clients that give none)."""

        class_version = 2
        key: str
        entry_key: str
        kind: str
        count: int
        reason: str = ""

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = ""

    @event(EntryReversed)
    def _reversed(self, key: str, entry_key: str, kind: str, count: int, reason: str = "") -> None:
        self.entries[key] = ("reversal", count)
        self.reversed.add(entry_key)


class InvalidMealCount(InvalidInput):
    code = "invalid_meal_count"


class InvalidDish(InvalidInput):
    code = "invalid_dish"


class UnknownServingMode(InvalidInput):
    code = "unknown_serving_mode"


class UnknownDiscardReason(InvalidInput):
    code = "unknown_discard_reason"


class MoreThanCooked(RuleViolation):
    code = "more_than_cooked"


class NothingToReverse(RuleViolation):
    code = "nothing_to_reverse"


class CorrectionReasonNeeded(InvalidInput):
    code = "correction_reason_needed"


def correction_reason(reason: str | None) -> str:
    """The reason a correction is made: required when asked for; ``None`` (a client that
    gives none, as the API's did before reasons were kept) is kept as ""."""
    if reason is None:
        return ""
    if not reason.strip():
        raise CorrectionReasonNeeded()
    return reason.strip()


class MealBatchNotFound(NotFound):
    code = "meal_batch_not_found"
