"""PostgreSQL advisory locks: processes take turns on a contested aggregate instead of racing,
and tell each other which idempotency keys they are deciding.

Every statement runs on one connection, in one thread of its own, in the order it was asked
for. What lets go of locks is not waited for: a batch's turns and keys are released as soon as
its save is committed while the batcher goes on to its next batch, and a batch's keys are tried
while its aggregates are read. The next statement runs after the ones before, so a lock is
never taken again before its earlier release has run."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, cast
from uuid import UUID

import psycopg

log = logging.getLogger(__name__)
LOCK = "SELECT pg_advisory_lock(%s)"
TRY = "SELECT k, pg_try_advisory_lock(k) FROM unnest(%s::bigint[]) AS k"
RELEASE = "SELECT pg_advisory_unlock(k) FROM unnest(%s::bigint[]) AS k"


def lock_key(aggregate_id: UUID) -> int:
    return int.from_bytes(aggregate_id.bytes[:8], "big", signed=True)


class AdvisoryLocks:
    """Used by the batcher's single thread; locks taken in a fixed order."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._connection: psycopg.Connection[Any] | None = None
        self._statements = ThreadPoolExecutor(1, thread_name_prefix="advisory-locks")

    @contextmanager
    def __call__(self, ids: set[UUID]) -> Iterator[None]:
        """A turn on each of ``ids``, waited for; let go of without waiting."""
        keys = sorted({lock_key(i) for i in ids})
        if not keys:
            yield
            return
        self._run(self._lock_each, keys).result()
        try:
            yield
        finally:
            self._run(self._execute, RELEASE, (keys,))

    @contextmanager
    def keys_in_flight(self, ids: set[UUID]) -> Iterator[Callable[[], set[UUID]]]:
        """What tells the keys' records (by id) another process is deciding a request for:
        each of the others is held for this process until the context ends. Never waits
        (try-locks, one statement), so it is taken before the turns, and sent at once: the
        answer is read when it is asked for. A key's holder keeps it through its own turn
        and save."""
        if not ids:
            yield set  # no keys: none held elsewhere
            return
        by_lock = {lock_key(i): i for i in ids}
        tried = self._run(self._execute, TRY, (sorted(by_lock),))

        def elsewhere() -> set[UUID]:
            return {by_lock[k] for k, ok in tried.result() if not ok}

        try:
            yield elsewhere
        finally:
            if tried.exception() is None:
                taken = [k for k, ok in tried.result() if ok]
                if taken:
                    self._run(self._execute, RELEASE, (taken,))

    def close(self) -> None:
        """Once the batcher has stopped: the releases asked for run, then the connection
        closes (a process's locks end with its connection anyway; a database it held open
        could not be dropped or copied meanwhile)."""
        self._statements.shutdown(wait=True)
        if self._connection is not None:
            self._connection.close()

    def _run(self, statement: Callable[..., Any], *args: Any) -> Future[Any]:
        return self._statements.submit(statement, *args)

    def _lock_each(self, keys: Sequence[int]) -> None:
        for key in keys:  # one by one, in order: two processes never wait on each other
            self._execute(LOCK, (key,))

    def _execute(self, statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        connection = self._connect()
        try:
            return cast("list[tuple[Any, ...]]", connection.execute(statement, params).fetchall())
        except psycopg.Error:
            log.warning("advisory lock statement failed; its connection is closed", exc_info=True)
            connection.close()  # a broken connection's locks end with it
            raise

    def _connect(self) -> psycopg.Connection[Any]:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self.url, autocommit=True)
        return self._connection
