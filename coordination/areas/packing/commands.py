"""What site staff, desks and line leads ask of a packing site and its trucks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from coordination.stock import Item
from coordination.text import KEY, LABEL, NAME, free_text


@dataclass(frozen=True)
class ConfigurePacking:
    site_id: UUID
    daily_box_target: int
    box_template: dict[str, int]


@free_text(name=NAME, zone=LABEL)
@dataclass(frozen=True)
class AddLine:
    site_id: UUID
    name: str
    zone: str
    hourly_target: int


@free_text(idempotency_key=KEY)
@dataclass(frozen=True)
class LogBoxes:
    site_id: UUID
    line_id: UUID
    count: int
    idempotency_key: str
    shift_id: UUID | None = None
    at: datetime | None = None


@free_text(entry_key=KEY, idempotency_key=KEY, reason=LABEL)
@dataclass(frozen=True)
class ReverseBoxes:
    """Undoes a logged batch once; the boxes must still be on hand. A reason, when asked for
    (``None``: a client that gives none), must be given. A line lead names the shift they
    lead their line on."""

    site_id: UUID
    entry_key: str
    idempotency_key: str
    reason: str | None = None
    shift_id: UUID | None = None


@free_text(label=LABEL, item=LABEL, idempotency_key=KEY)
@dataclass(frozen=True)
class DispatchTruck:
    site_id: UUID
    point_id: UUID
    count: int
    idempotency_key: str
    label: str = ""
    item: str = Item.FOOD_BOX


@free_text(idempotency_key=KEY)
@dataclass(frozen=True)
class ConfirmTruckload:
    """The point's count; the same count again is a replay, another one is refused."""

    truckload_id: UUID
    received: int
    idempotency_key: str = ""


@dataclass(frozen=True)
class StockState:
    site_id: UUID
    recorded: bool
    on_hand: int


@dataclass(frozen=True)
class TruckState:
    truckload_id: UUID
    recorded: bool
    count: int
    received: int | None
    on_hand: int
