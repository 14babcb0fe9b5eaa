"""What a kitchen's lead asks: the kitchen's target and place, and its batches' entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from coordination.text import KEY, LABEL, NAME, free_text


@dataclass(frozen=True)
class ConfigureKitchen:
    kitchen_id: UUID
    daily_meal_target: int
    latitude: float | None = None
    longitude: float | None = None


@free_text(dish=NAME, idempotency_key=KEY)
@dataclass(frozen=True)
class LogCooked:
    kitchen_id: UUID
    dish: str
    count: int
    idempotency_key: str
    cooked_at: datetime | None = None


@free_text(how=LABEL, idempotency_key=KEY)
@dataclass(frozen=True)
class LogServed:
    """Served on site, or delivered (to a distribution point when ``point_id`` names one)."""

    batch_id: UUID
    count: int
    how: str
    idempotency_key: str
    point_id: UUID | None = None
    served_at: datetime | None = None


@free_text(reason=LABEL, idempotency_key=KEY)
@dataclass(frozen=True)
class LogDiscarded:
    batch_id: UUID
    count: int
    reason: str
    idempotency_key: str


@free_text(entry_key=KEY, idempotency_key=KEY, reason=LABEL)
@dataclass(frozen=True)
class ReverseEntry:
    """Takes back a served or discarded entry, named by the key it was logged with. A reason,
    when asked for (``None``: a client that gives none), must be given."""

    batch_id: UUID
    entry_key: str
    idempotency_key: str
    reason: str | None = None


@dataclass(frozen=True)
class BatchState:
    batch_id: UUID
    recorded: bool
    cooked: int
    left: int
