"""Concurrent sign-ups grouped into one save: one table lock and one commit for many commands.

Requests wait on a future while one thread takes up to ``max_batch`` commands (or what came
within ``max_wait`` seconds), decides them in order against the same in-memory aggregates, and
saves every changed aggregate at once. The aggregates come from the batcher's shelf, brought up
to date with one read for the whole batch (two for an upload's hundreds of households, read
before the turn on the point's stock is taken). If another process changed one meanwhile,
the store refuses the whole batch, which is decided again on fresh aggregates a few times, then
command by command with the usual bounded retries.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, OperationalError

from coordination.dispatch.shelf import Shelf
from coordination.errors import as_answer
from coordination.idempotency_key import IdempotencyKeyInFlight

Decide = Callable[[dict[UUID, Any]], Any]
Ahead = tuple[set[UUID], dict[UUID, Any]]  # what was read before the turn: its ids, by id
# each command, its answer, and whether that is a result (else a refusal)
Answers = list[tuple["Command", Any, bool]]
log = logging.getLogger(__name__)
STOP: Any = object()
BATCH_ATTEMPTS = 5
READ_AHEAD_FROM = 64  # aggregates nobody contends for: fewer are read in the same query


@dataclass
class Command:
    decide: Decide
    alone: Callable[[], Any]
    needs: tuple[UUID, ...] = ()
    contested: tuple[UUID, ...] = ()
    weight: int = 1
    keys: tuple[UUID, ...] = ()
    future: Future[Any] = field(default_factory=Future)


@contextmanager
def no_serialization(_: set[UUID]) -> Iterator[None]:
    yield


@contextmanager
def no_other_process(_: set[UUID]) -> Iterator[Callable[[], set[UUID]]]:
    yield set


class Batcher:
    """``serialize`` may be set to a cross-process lock on the batch's first aggregates (the
    contested shifts): workers then queue for a shift instead of racing and retrying.
    ``keys_in_flight`` may be set to tell which of a batch's idempotency keys another process
    is deciding (holding them for this one until the batch is done; asked before the batch is
    read, answered after): their commands are answered at once that the key is in flight, as
    a key decided in this process is."""

    def __init__(
        self,
        save: Callable[..., Any],
        shelf: Shelf | None = None,
        max_batch: int = 256,
        max_wait: float = 0.002,
    ) -> None:
        self._save, self._shelf, self.max_batch, self.max_wait = save, shelf, max_batch, max_wait
        self.read_ahead_from = READ_AHEAD_FROM
        self.serialize: Callable[[set[UUID]], AbstractContextManager[None]] = no_serialization
        self.keys_in_flight: Callable[
            [set[UUID]], AbstractContextManager[Callable[[], set[UUID]]]
        ] = no_other_process
        self.observe: Callable[[int], None] | None = None  # each batch's size, for metrics
        self.fell_back: Callable[[], None] | None = None  # a failed batch, for metrics
        # not SimpleQueue: in CPython 3.11 its get(timeout=...) can wait forever when the
        # deadline passes while it spins on a stale release (a batch then never closes)
        self._queue: queue.Queue[Command] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="command-batcher", daemon=True)
        self._thread.start()

    def enqueue(
        self,
        decide: Decide,
        alone: Callable[[], Any],
        needs: tuple[UUID, ...] = (),
        contested: tuple[UUID, ...] | None = None,
        weight: int = 1,
        keys: tuple[UUID, ...] = (),
    ) -> Future[Any]:
        """``decide`` works on the batch's aggregates; ``alone`` is the command without a batch;
        ``needs`` names the aggregates to load, all of a batch's at once; ``contested`` what
        processes take turns on (by default the first of ``needs``); ``weight`` how many of a
        batch's ``max_batch`` decisions it makes (an upload's items); ``keys`` the idempotency
        keys' records it reads. Commands enqueued in turn are decided in turn; the future holds
        the answer."""
        contested = needs[:1] if contested is None else contested
        command = Command(decide, alone, needs, contested, weight, keys)
        self._queue.put(command)
        return command.future

    def stop(self) -> None:
        self._queue.put(STOP)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is STOP:
                return
            batch, weight = [first], first.weight
            deadline = time.monotonic() + self.max_wait
            while weight < self.max_batch:
                try:
                    command = self._queue.get(timeout=max(deadline - time.monotonic(), 0))
                except queue.Empty:
                    break
                if command is STOP:
                    self._queue.put(STOP)
                    break
                batch.append(command)
                weight += command.weight
            if self.observe is not None:
                self.observe(len(batch))
            try:
                self._process(batch)
            except Exception:  # noqa: BLE001 - e.g. the lock's connection broke: go one by one
                log.warning("a batch failed; its %d go one by one", len(batch), exc_info=True)
                if self.fell_back is not None:
                    self.fell_back()
                for command in batch:
                    if not command.future.done():
                        threading.Thread(target=self._alone, args=(command,), daemon=True).start()

    def _process(self, batch: list[Command]) -> None:
        with self.keys_in_flight({i for command in batch for i in command.keys}) as elsewhere:
            contested = {i for command in batch for i in command.contested}
            ahead = self._read_ahead(batch, contested)  # while the keys are tried
            held = elsewhere()
            if held:
                batch = self._without(batch, held)
            if batch:
                self._decide(batch, ahead)

    @staticmethod
    def _without(batch: list[Command], elsewhere: set[UUID]) -> list[Command]:
        """The batch but for the commands whose key another process is deciding: those are
        told so (the client asks again in a moment, and is answered as the first time)."""
        kept = []
        for command in batch:
            if elsewhere.isdisjoint(command.keys):
                kept.append(command)
            else:
                command.future.set_exception(as_answer(IdempotencyKeyInFlight()))
        return kept

    def _decide(self, batch: list[Command], ahead: Ahead) -> None:
        contested = {i for command in batch for i in command.contested}
        for attempt in range(BATCH_ATTEMPTS):
            if attempt:
                ahead = self._read_ahead(batch, contested)
            with self.serialize(contested):
                answers = self._attempt(batch, ahead)
            if answers is not None:
                for command, answer, ok in answers:
                    if ok:
                        command.future.set_result(answer)
                    else:
                        command.future.set_exception(answer)
                return
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        for command in batch:
            threading.Thread(target=self._alone, args=(command,), daemon=True).start()

    def _read_ahead(self, batch: list[Command], contested: set[UUID]) -> Ahead:
        """The aggregates nobody takes turns on (an upload's households), read before the turn
        is taken when they are many: the other processes wait only while the contested ones
        are read, decided and saved. A few are read with those, one query rather than two.
        If one read ahead changes meanwhile, the save is refused and the batch decided again;
        so with the keys' records read with them (a key recorded meanwhile refuses the save)."""
        early = {i for command in batch for i in command.needs} - contested
        if self._shelf is None or len(early) < self.read_ahead_from:
            return set(), {}
        keys = {i for command in batch for i in command.keys}
        return early | keys, self._shelf.fetch(early, keys)

    def _attempt(self, batch: list[Command], ahead: Ahead) -> Answers | None:
        """Decides the batch on fresh aggregates and saves it; None if another writer won."""
        read, aggregates = ahead[0], dict(ahead[1])
        if self._shelf is not None:
            needs = {i for command in batch for i in command.needs}
            keys = {i for command in batch for i in command.keys}
            aggregates.update(self._shelf.fetch(needs - read, keys - read))
        answers: Answers = []
        for command in batch:
            try:
                answers.append((command, command.decide(aggregates), True))
            except Exception as error:  # noqa: BLE001 - handed to the waiting request
                answers.append((command, as_answer(error), False))
        changed = [a for a in aggregates.values() if a.pending_events]
        try:
            if changed:
                self._save(*changed)
        except BaseException as error:
            if self._shelf is not None:
                self._shelf.forget(a.id for a in changed)  # their copies hold unsaved events
            if isinstance(error, IntegrityError | OperationalError):
                return None
            raise
        if self._shelf is not None:
            self._shelf.keep(aggregates.values())
        return answers

    @staticmethod
    def _alone(command: Command) -> None:
        try:
            command.future.set_result(command.alone())
        except BaseException as error:  # noqa: BLE001 - handed to the waiting request
            command.future.set_exception(as_answer(error))
