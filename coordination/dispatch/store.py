"""The event store as handlers see it: loading by type, saving several aggregates in one write.

A thin layer over the library's ``Application``: its save collects aggregates without the
library's protocol checks (they cost more than the rest of collecting a batch's events), and
tells this process's listeners (the embedded projection runner) that the log moved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import BaseAggregate
from eventsourcing.persistence import IntegrityError, Recording

from coordination.dispatch.shelf import Shelf
from coordination.fingerprints import Fingerprints
from coordination.idempotency_key import KeyRecord
from coordination.passwords import DEFAULT_PROFILE, Passwords, password_hasher
from coordination.retry import KeyedLocks
from coordination.short_memory import ShortMemory
from coordination.ticket_policy import DEFAULT_DEADLINES, Deadlines, Priority

T = TypeVar("T")
Clock = Callable[[], datetime]
ACTOR_MEMORY_SECONDS = 2.0


class Store(Application[UUID]):
    name = "Coordination"  # the library's name for the store's tables and settings

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        secret_key: str,
        clock: Clock = lambda: datetime.now(UTC),
        fast_password_hashing: bool = False,
        password_profile: str = DEFAULT_PROFILE,
    ) -> None:
        super().__init__(env)
        # aggregates, and idempotency keys' records (``keys``), read in one go
        self.read_many: Callable[..., dict[UUID, Any]] = Shelf(self, size=0).fetch
        self.actors: ShortMemory[Any] = ShortMemory(seconds=ACTOR_MEMORY_SECONDS)
        # what may be a moment old, by aggregate: whether a site takes sign-ups
        self.moments: ShortMemory[Any] = ShortMemory(seconds=ACTOR_MEMORY_SECONDS)
        self.fingerprints = Fingerprints(secret_key)
        self.passwords = Passwords(password_hasher(fast_password_hashing, password_profile))
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []
        self.saved_listeners: list[Callable[[list[Any]], None]] = []  # told each save's events
        self.locks = KeyedLocks()
        self.facts: dict[tuple[str, UUID], Any] = {}  # what never changes, by aggregate
        self.deadlines: dict[Priority, Deadlines] = DEFAULT_DEADLINES  # a deployment's own

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's save, collecting aggregates without its protocol checks; new
        idempotency keys' records among them are written in the same transaction."""
        processing_event = AggregatesFirst()
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        for record in processing_event.saved_kwargs.get("keys", ()):
            record.new = False
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)
        for listener in self.saved_listeners:
            listener(processing_event.events)
        return recordings

    def _notify(self, recordings: Any) -> None:
        super()._notify(recordings)
        for listener in self.listeners:
            listener()

    def get(
        self,
        aggregate_id: UUID,
        kind: type[T],
        not_found: type[Exception],
        version: int | None = None,
    ) -> T:
        """The aggregate, or as it stood at ``version``; ``not_found`` if it is not a ``kind``."""
        try:
            aggregate: BaseAggregate[UUID] = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise not_found() from None
        if not isinstance(aggregate, kind):
            raise not_found()
        return aggregate

    def load_or_none(self, aggregate_id: UUID) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def find(self, aggregate_id: UUID, kind: type[T]) -> T | None:
        aggregate = self.load_or_none(aggregate_id)
        return aggregate if isinstance(aggregate, kind) else None

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def held(
        self,
        aggregates: dict[UUID, Any],
        aggregate_id: UUID,
        kind: type[T],
        not_found: type[Exception],
    ) -> T:
        """A decision's copy of an aggregate, loaded once however many commands touch it."""
        if aggregate_id not in aggregates:
            aggregates[aggregate_id] = self.get(aggregate_id, kind, not_found)
        aggregate = aggregates[aggregate_id]
        if not isinstance(aggregate, kind):
            raise not_found()
        return aggregate

    def save_new(self, aggregate: Any) -> None:
        """Creating what already exists is a no-op: seeding and set-up can be re-run."""
        try:
            self.save(aggregate)
        except IntegrityError:
            if aggregate.id not in self.repository:
                raise

    def remembered(self, key: tuple[str, UUID], look_up: Callable[[], T], limit: int) -> T:
        """What never changes about an aggregate, looked up once however many ask at the same
        moment (a shift of a thousand sign-ups is costly to read, and the gates open at once)."""
        facts = self.facts.get(key)
        if facts is None:
            with self.locks(("facts", key)):
                facts = self.facts.get(key)
                if facts is None:
                    facts = look_up()
                    if len(self.facts) > limit:
                        self.facts.clear()
                    self.facts[key] = facts
        return facts


class AggregatesFirst(ProcessingEvent[UUID]):
    """Aggregates told apart by their class: the library's runtime protocol checks, made for
    anything that may be saved, cost more than the rest of collecting a batch's events. New
    key records go to the recorder as ``keys``."""

    def collect_events(self, *objs: Any, **kwargs: Any) -> None:
        for obj in objs:
            if isinstance(obj, BaseAggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            elif isinstance(obj, KeyRecord):
                if obj.new:
                    self.saved_kwargs.setdefault("keys", []).append(obj)
            else:
                super().collect_events(obj)
        self.saved_kwargs.update(kwargs)
