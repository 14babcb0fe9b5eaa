"""A batch of boxes logged by a line: a retry counts once; it is undone at most once."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.fingerprints import stable_id
from coordination.meal_batch import NothingToReverse


class BoxBatch(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Logged: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(site_id: UUID, key: str) -> UUID:
        return stable_id("box-batch", str(site_id), key)

    @event("Logged")
    def __init__(self, site_id: UUID, key: str, line_id: UUID, count: int, at: datetime) -> None:
        self.site_id, self.key, self.line_id = site_id, key, line_id
        self.count, self.at = count, at
        self.reversal_key: str | None = None

    def reverse(self, key: str, reason: str = "") -> bool:
        """False for a replay of the same correction; refused for a second one."""
        if self.reversal_key == key:
            return False
        if self.reversal_key is not None:
            raise NothingToReverse()
        self._reversed(key, reason)
        return True

    class Reversed(Aggregate.Event):
        """Undone, with the reason the person gave ("" for corrections made before reasons
        were kept, and for API clients that give none)."""

        class_version = 2
        key: str
        reason: str = ""

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = ""

    @event(Reversed)
    def _reversed(self, key: str, reason: str = "") -> None:
        self.reversal_key = key
