"""What a handler asks the dispatcher to carry out: one decision over several aggregates."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from coordination.errors import DomainError

T = TypeVar("T")


@dataclass(frozen=True)
class Decision(Generic[T]):
    """``decide`` works on the aggregates named by ``needs`` (absent ones are left out of the
    mapping; ``decide`` creates them) and changes them in memory; the dispatcher saves every
    changed one in one write, with concurrent decisions when it batches, else alone under
    ``lock`` with bounded retries. ``contested`` names what processes take turns on (by
    default the first of ``needs``); ``weight`` how many decisions it counts for in a batch
    (an upload's items); ``explain`` may tell a refusal more fully (it may read the store);
    ``then`` turns the answer into the command's result (no reading, no writing); ``keys``
    names the idempotency keys' records it reads (``keys``), found in the mapping with its
    aggregates."""

    decide: Callable[[dict[UUID, Any]], T]
    needs: tuple[UUID, ...]
    lock: Hashable
    contested: tuple[UUID, ...] | None = None
    weight: int = 1
    explain: Callable[[DomainError], DomainError] | None = None
    then: Callable[[T], Any] | None = None
    keys: tuple[UUID, ...] = ()
