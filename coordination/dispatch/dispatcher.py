"""The dispatcher: the one way in for every command.

``await dispatcher.dispatch(command, actor)`` from the event loop (pages and the API), or
``dispatcher.run(command, actor)`` from a thread (the CLI, background jobs, workers, tests):
both look up the command's handler (``registry``), let it decide, and carry out the
``Decision`` it returns. How is the dispatcher's business alone:

- **Batching.** With a batcher (the configuration users run, on SQLite and PostgreSQL alike),
  concurrent decisions are decided in turn on shared copies of their aggregates and saved in
  one write: one table lock and one commit for many commands (``batching``). The batcher's
  shelf keeps the aggregates a batch leaves behind and reads only what was written since
  (``shelf``). A batch another process raced is decided again, then command by command.
- **Locks.** On PostgreSQL the batcher takes advisory locks on the contested aggregates of a
  batch, so processes queue for a shift instead of racing and retrying (``advisory_locks``:
  one connection and a thread of its own; a turn is waited for, releases are not).
  Without a batcher, a decision runs alone under a keyed lock with bounded retries.
- **Threads.** A handler that returns its decision without reading the store is called on the
  event loop, and the request awaits the batcher's answer without holding a thread; any other
  handler runs in the executor's threads.
- **Idempotency keys.** A keyed command's key is recorded with the fingerprint of its request
  in the write of its events, in the store's key table (``recorder``); the same key with
  another request is refused, and while one is being decided, here or in another process (an
  advisory lock per key, tried without waiting, on PostgreSQL), the same key again is told to
  retry in a moment (``keys``).
- **Refusals.** A domain error reaches the caller as raised by the decision, without the
  traceback of the batch it was decided in; a decision may explain it further.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

from coordination.dispatch.batching import Batcher
from coordination.dispatch.decision import Decision
from coordination.dispatch.keys import InFlight
from coordination.dispatch.registry import HANDLERS, Handler
from coordination.dispatch.shelf import Shelf
from coordination.dispatch.store import Store
from coordination.errors import DomainError, as_answer
from coordination.permissions import SYSTEM, Actor
from coordination.retry import retrying
from coordination.text import cleaned

T = TypeVar("T")


class NoHandler(LookupError):
    """A command nobody decides: a programming error, never a person's."""


class Dispatcher:
    def __init__(
        self,
        store: Store,
        *,
        batched: bool,
        handlers: dict[type, Handler] | None = None,
    ) -> None:
        self.store = store
        self.handlers = HANDLERS if handlers is None else handlers
        self.batcher = Batcher(store.save, Shelf(store)) if batched else None
        self.executor: Executor | None = None  # the loop's default unless a server sets one
        self.in_flight = InFlight()

    async def dispatch(self, command: Any, actor: Actor = SYSTEM) -> Any:
        """The command's result, awaited on the event loop; a refusal raises its DomainError."""
        command = cleaned(command)
        claim = self.in_flight.claim(command)
        try:
            return await self._dispatch(command, actor)
        finally:
            self.in_flight.release(claim)

    async def _dispatch(self, command: Any, actor: Actor) -> Any:
        handler = self._handler_of(command)
        if handler.planned(self.store, command):
            planned = handler.decide(self.store, command, actor)
        else:
            planned = await self._in_thread(handler.decide, self.store, command, actor)
        if not isinstance(planned, Decision):
            return planned
        try:
            if self.batcher is None:
                answer = await self._in_thread(lambda: self._carried_out(planned).result())
            else:
                answer = await asyncio.wrap_future(self._carried_out(planned))
        except DomainError as refused:
            if planned.explain is None:
                raise
            raise await self._in_thread(planned.explain, refused) from None
        return planned.then(answer) if planned.then else answer

    def run(self, command: Any, actor: Actor = SYSTEM) -> Any:
        """The same from a thread that may block: the CLI, background jobs, workers, tests."""
        command = cleaned(command)
        claim = self.in_flight.claim(command)
        try:
            return self._run(command, actor)
        finally:
            self.in_flight.release(claim)

    def _run(self, command: Any, actor: Actor) -> Any:
        planned = self._handler_of(command).decide(self.store, command, actor)
        if not isinstance(planned, Decision):
            return planned
        try:
            answer = self._carried_out(planned).result()
        except DomainError as refused:
            if planned.explain is None:
                raise
            raise planned.explain(refused) from None
        return planned.then(answer) if planned.then else answer

    def close(self) -> None:
        if self.batcher is not None:
            self.batcher.stop()
        self.store.close()

    def _handler_of(self, command: Any) -> Handler:
        handler = self.handlers.get(type(command))
        if handler is None:
            raise NoHandler(type(command).__name__)
        return handler

    def _carried_out(self, decision: Decision[T]) -> Future[T]:
        """Batched when there is a batcher, else decided now, alone, under its lock."""
        store = self.store

        def attempt() -> T:
            aggregates = {i: a for i in decision.needs if (a := store.load_or_none(i)) is not None}
            aggregates.update(store.read_many((), decision.keys))
            result = decision.decide(aggregates)
            changed = [a for a in aggregates.values() if a.pending_events]
            if changed:
                store.save(*changed)
            return result

        def alone() -> T:
            with store.locks(decision.lock):
                return retrying(attempt)

        if self.batcher is not None:
            return self.batcher.enqueue(
                decision.decide,
                alone,
                decision.needs,
                decision.contested,
                decision.weight,
                decision.keys,
            )
        answer: Future[T] = Future()
        try:
            answer.set_result(alone())
        except Exception as error:  # noqa: BLE001 - the caller sees it from result()
            answer.set_exception(as_answer(error))
        return answer

    async def _in_thread(self, work: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.executor, work, *args)
