"""PostgreSQL advisory locks: processes take turns on a contested aggregate instead of racing,
and tell each other which idempotency keys they are deciding."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast
from uuid import UUID

import psycopg


def lock_key(aggregate_id: UUID) -> int:
    return int.from_bytes(aggregate_id.bytes[:8], "big", signed=True)


class AdvisoryLocks:
    """One connection, used by the batcher's single thread; locks taken in a fixed order."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._connection: psycopg.Connection[object] | None = None
        self._guard = threading.Lock()

    @contextmanager
    def __call__(self, ids: set[UUID]) -> Iterator[None]:
        keys = sorted({lock_key(i) for i in ids})
        with self._guard:
            connection = self._connect()
            try:
                for key in keys:
                    connection.execute("SELECT pg_advisory_lock(%s)", (key,))
                yield
            finally:
                try:  # the turns only: keys in flight stay held until their batch is done
                    connection.execute(
                        "SELECT pg_advisory_unlock(k) FROM unnest(%s::bigint[]) AS k", (keys,)
                    )
                except psycopg.Error:
                    connection.close()  # a broken connection's locks end with it

    @contextmanager
    def keys_in_flight(self, ids: set[UUID]) -> Iterator[set[UUID]]:
        """The keys' records (by id) another process is deciding a request for: each of the
        others is held for this process until the context ends. Never waits (try-locks, one
        statement), so it is taken before the turns; a key's holder keeps it through its own
        turn and save."""
        if not ids:
            yield set()
            return
        by_lock = {lock_key(i): i for i in ids}
        with self._guard:
            connection = self._connect()
            rows = cast(
                "list[tuple[int, bool]]",
                connection.execute(
                    "SELECT k, pg_try_advisory_lock(k) FROM unnest(%s::bigint[]) AS k",
                    (sorted(by_lock),),
                ).fetchall(),
            )
        taken = [k for k, ok in rows if ok]
        try:
            yield {by_lock[k] for k, ok in rows if not ok}
        finally:
            with self._guard:
                try:
                    connection.execute(
                        "SELECT pg_advisory_unlock(k) FROM unnest(%s::bigint[]) AS k", (taken,)
                    )
                except psycopg.Error:
                    connection.close()

    def _connect(self) -> psycopg.Connection[object]:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self.url, autocommit=True)
        return self._connection
