"""PostgreSQL advisory locks: processes take turns on a contested aggregate instead of racing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
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
                try:
                    connection.execute("SELECT pg_advisory_unlock_all()")
                except psycopg.Error:
                    connection.close()  # a broken connection's locks end with it

    def _connect(self) -> psycopg.Connection[object]:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self.url, autocommit=True)
        return self._connection
