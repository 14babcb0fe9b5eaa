"""What every area of commands shares: loading by type, saving, retries."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Recording,
)
from eventsourcing.domain import BaseAggregate
from eventsourcing.persistence import IntegrityError

from coordination.commands.batching import Batcher
from coordination.commands.shelf import Shelf
from coordination.errors import as_answer
from coordination.fingerprints import Fingerprints
from coordination.passwords import Passwords, password_hasher
from coordination.retry import KeyedLocks, retrying
from coordination.short_memory import ShortMemory

T = TypeVar("T")
Clock = Callable[[], datetime]
ACTOR_MEMORY_SECONDS = 2.0


class CommandBase(Application[UUID]):
    name = "Coordination"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        secret_key: str,
        clock: Clock = lambda: datetime.now(UTC),
        fast_password_hashing: bool = False,
        batch_commands: bool = False,
    ) -> None:
        super().__init__(env)
        self.batcher = Batcher(self.save, Shelf(self)) if batch_commands else None
        self.read_many = Shelf(self, size=0).fetch  # aggregates by id, in one query

        self.actors: ShortMemory[Any] = ShortMemory(seconds=ACTOR_MEMORY_SECONDS)
        self.fingerprints = Fingerprints(secret_key)
        self.passwords = Passwords(password_hasher(fast_password_hashing))
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []
        self.locks = KeyedLocks()
        self.facts: dict[tuple[str, UUID], Any] = {}  # what never changes, by aggregate

    def close(self) -> None:
        if self.batcher is not None:
            self.batcher.stop()
        super().close()

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's save, collecting aggregates without its protocol checks."""
        processing_event = AggregatesFirst()
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)
        return recordings

    def _notify(self, recordings: Any) -> None:
        super()._notify(recordings)
        for listener in self.listeners:
            listener()

    def _get(
        self,
        aggregate_id: UUID,
        kind: type[T],
        not_found: type[Exception],
        version: int | None = None,
    ) -> T:
        """The aggregate, or as it stood at ``version``."""
        try:
            aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise not_found() from None
        if not isinstance(aggregate, kind):
            raise not_found()
        return aggregate

    def _load_or_none(self, aggregate_id: UUID) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def _find(self, aggregate_id: UUID, kind: type[T]) -> T | None:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, kind) else None

    def _held(
        self,
        aggregates: dict[UUID, Any],
        aggregate_id: UUID,
        kind: type[T],
        not_found: type[Exception],
    ) -> T:
        """The batch's copy of an aggregate, loaded once however many commands touch it."""
        if aggregate_id not in aggregates:
            aggregates[aggregate_id] = self._get(aggregate_id, kind, not_found)
        aggregate = aggregates[aggregate_id]
        if not isinstance(aggregate, kind):
            raise not_found()
        return aggregate

    def _decision(
        self,
        decide: Callable[[dict[UUID, Any]], T],
        needs: tuple[UUID, ...],
        contested: tuple[UUID, ...],
        lock: Any,
        batched: bool = True,
        weight: int = 1,
    ) -> Future[T]:
        """A decision over several aggregates saved in one write, and its answer to come:
        grouped with concurrent ones by the batcher when there is one (several enqueued in turn
        are decided in turn), else taken now, alone, with bounded retries under a lock."""

        def attempt() -> T:
            aggregates = {i: a for i in needs if (a := self._load_or_none(i)) is not None}
            result = decide(aggregates)
            changed = [a for a in aggregates.values() if a.pending_events]
            if changed:
                self.save(*changed)
            return result

        def alone() -> T:
            with self.locks(lock):
                return retrying(attempt)

        if batched and self.batcher is not None:
            return self.batcher.enqueue(decide, alone, needs, contested, weight)
        answer: Future[T] = Future()
        try:
            answer.set_result(alone())
        except Exception as error:  # noqa: BLE001 - the caller sees it from result()
            answer.set_exception(as_answer(error))
        return answer

    def _save_new(self, aggregate: Any) -> None:
        """Creating what already exists is a no-op: seeding and set-up can be re-run."""
        try:
            self.save(aggregate)
        except IntegrityError:
            if aggregate.id not in self.repository:
                raise


class AggregatesFirst(ProcessingEvent[UUID]):
    """Aggregates told apart by their class: the library's runtime protocol checks, made for
    anything that may be saved, cost more than the rest of collecting a batch's events."""

    def collect_events(self, *objs: Any, **kwargs: Any) -> None:
        for obj in objs:
            if isinstance(obj, BaseAggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            else:
                super().collect_events(obj)
        self.saved_kwargs.update(kwargs)
