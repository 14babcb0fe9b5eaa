"""What national staff and distribution points ask: rounds, households, stock and hand-offs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from coordination.text import KEY, LABEL, NAME, free_text


@free_text(slug=KEY, name_ar=NAME, name_en=NAME)
@dataclass(frozen=True)
class OpenRound:
    slug: str
    name_ar: str
    name_en: str
    target: int
    allowances: dict[str, int] | None = None


@dataclass(frozen=True)
class RegisterHousehold:
    """Registered once in the whole country; registering again finds the same household. At a
    point (``point_id``) the household belongs to the point's governorate."""

    national_id: str
    size: int
    governorate: str
    point_id: UUID | None


@dataclass(frozen=True)
class RegisterHouseholds:
    """A list's households at a point, in one write; ``rows`` are (national ID, people).
    ``keys``, one per row, make a retried chunk answer as the first time ("created" again)."""

    rows: Sequence[tuple[str, int]]
    point_id: UUID
    keys: Sequence[str] = ()


@free_text(item=LABEL, idempotency_key=KEY)
@dataclass(frozen=True)
class TakeIn:
    """Items from outside the campaign's trucks; the answer is the stock on hand after."""

    site_id: UUID
    item: str
    count: int
    idempotency_key: str


@free_text(item=LABEL, idempotency_key=KEY)
@dataclass(frozen=True)
class HandOff:
    point_id: UUID
    round_id: UUID
    household_id: UUID
    item: str
    count: int
    idempotency_key: str
    at: datetime | None = None
    volunteer_id: UUID | None = None


class UploadedItem(Protocol):
    """One hand-off as an offline device sends it: the family by its national ID."""

    @property
    def national_id(self) -> str: ...
    @property
    def item(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def at(self) -> datetime | None: ...
    @property
    def volunteer_id(self) -> UUID | None: ...


@dataclass(frozen=True)
class HandOffItems:
    """An offline device's upload: each item accepted or refused on its own, in order."""

    point_id: UUID
    round_id: UUID
    items: Sequence[UploadedItem]


@dataclass(frozen=True)
class HandOffResult:
    household_id: UUID
    recorded: bool
    taken: int
    allowance: int
    on_hand: int
