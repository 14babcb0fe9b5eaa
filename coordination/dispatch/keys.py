"""Idempotency keys as the dispatcher carries them out: one key, one request.

A keyed command names its key's scope and its fingerprint (``keyed``). A ``Decision`` names
the key's record among the ones it reads (``Decision.keys``) and gets it with its aggregates
(``with_key``); a handler that saves by itself saves the record with its own aggregates
(``records_to_save``). Either way the record is written in the transaction of the request's
events, to the store's key table (``recorder``). A key the aggregates knew before records were
kept has no record: it is taken as matching, and answered as the aggregate answers a replay.

While a keyed command is decided in this process, the same key again is refused at once
(``InFlight``): the client retries after a moment and gets the first answer. The batcher tells
the same of a key another process is deciding (``advisory_locks``).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.utils import get_topic

from coordination.dispatch.decision import Decision
from coordination.idempotency_key import (
    IdempotencyKey,
    IdempotencyKeyInFlight,
    KeyRecord,
    fingerprint,
    key_record_id,
)

T = TypeVar("T")
MAX_KEY = 100


@dataclass(frozen=True)
class Keyed:
    record_id: UUID
    scope: UUID
    key: str
    fingerprint: str

    def checked(self, record: KeyRecord | None) -> KeyRecord | None:
        """The new record to save with the request, or None when the key has one already;
        another request's record refuses this one."""
        if record is None:
            return KeyRecord(self.record_id, self.fingerprint, new=True)
        record.require_same(self.fingerprint)
        return None


def keyed(scope: UUID, key: str, *fields: object) -> Keyed | None:
    """The key of a request made at ``scope`` whose meaningful ``fields`` are given (the
    command's name first); None without a key."""
    key = key.strip()[:MAX_KEY]
    if not key:
        return None
    return Keyed(key_record_id(scope, key), scope, key, fingerprint(*fields))


def with_key(decision: Decision[T], key: Keyed | None) -> Decision[T]:
    """The decision, refused if its key came with another request, its key recorded if new."""
    if key is None:
        return decision
    decide = decision.decide

    def decided(aggregates: dict[UUID, Any]) -> T:
        new = key.checked(aggregates.get(key.record_id))
        answer = decide(aggregates)
        if new is not None:
            aggregates[key.record_id] = new
        return answer

    return replace(decision, decide=decided, keys=(*decision.keys, key.record_id))


def records_to_save(store: Any, key: Keyed | None) -> tuple[KeyRecord, ...]:
    """For a handler that saves by itself: the key's new record to save with its aggregates
    (nothing if recorded already); refused if the key came with another request."""
    if key is None:
        return ()
    new = key.checked(store.read_many((), keys=(key.record_id,)).get(key.record_id))
    return () if new is None else (new,)


def recorded_in_the_log(store: Any, page: int = 1000) -> Iterator[KeyRecord]:
    """The records earlier releases kept as events of their own (``IdempotencyKey``), in the
    order they were written: the migration to the key table copies them."""
    topic = get_topic(IdempotencyKey.Recorded)
    start = 1
    while True:
        notifications = store.recorder.select_notifications(start, page, topics=[topic])
        for notification in notifications:
            recorded = store.mapper.to_domain_event(notification)
            yield KeyRecord(notification.originator_id, recorded.fingerprint)
        if len(notifications) < page:
            return
        start = notifications[-1].id + 1


class InFlight:
    """The keys of the commands being decided in this process."""

    def __init__(self) -> None:
        self._keys: set[Hashable] = set()
        self._guard = threading.Lock()

    def claim(self, command: Any) -> Hashable | None:
        key = getattr(command, "idempotency_key", "")
        if not key:
            return None
        claim = (type(command), key)
        with self._guard:
            if claim in self._keys:
                raise IdempotencyKeyInFlight()
            self._keys.add(claim)
        return claim

    def release(self, claim: Hashable | None) -> None:
        if claim is not None:
            with self._guard:
                self._keys.discard(claim)
