"""One small interface to the read-model database, SQLite or PostgreSQL.

Queries are written once with ``%s`` placeholders and portable SQL (upserts with
``ON CONFLICT``); times are stored as ISO-8601 text so both engines return the same values.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from psycopg import Connection

Row = dict[str, Any]


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...
    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...


class Database(Protocol):
    dialect: str

    def transaction(self, *, pipelined: bool = False) -> Any: ...
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...
    def close(self) -> None: ...


class SQLiteCursor:
    """Turns ``%s`` into ``?`` so one SQL text serves both engines."""

    _placeholder = re.compile(r"%s")

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def execute(self, sql: str, params: Sequence[Any] = ()) -> SQLiteCursor:
        self._cursor.execute(self._placeholder.sub("?", sql), tuple(params))
        return self

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> SQLiteCursor:
        self._cursor.executemany(self._placeholder.sub("?", sql), [tuple(p) for p in params])
        return self

    def fetchall(self) -> list[Row]:
        return [dict(row) for row in self._cursor.fetchall()]

    def fetchone(self) -> Row | None:
        row = self._cursor.fetchone()
        return None if row is None else dict(row)


class SQLiteDatabase:
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    @contextmanager
    def transaction(self, *, pipelined: bool = False) -> Iterator[SQLiteCursor]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield SQLiteCursor(connection.cursor())
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return SQLiteCursor(self._connection().cursor()).execute(sql, params).fetchall()

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


class PostgresDatabase:
    dialect = "postgres"

    def __init__(self, url: str, *, max_size: int = 10) -> None:
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        self.pool: ConnectionPool[Connection[Row]] = ConnectionPool(
            url, min_size=1, max_size=max_size, kwargs={"row_factory": dict_row}, open=True
        )

    @contextmanager
    def transaction(self, *, pipelined: bool = False) -> Iterator[Any]:
        """``pipelined``: statements go out without waiting for each answer (a fetch waits),
        so a batch of many small writes costs about one round trip to the server."""
        with self.pool.connection() as connection, connection.transaction():
            if not pipelined:
                yield connection.cursor()
                return
            from projections.pipelined import PipelinedCursor

            with connection.pipeline():
                cursor = PipelinedCursor(connection)
                yield cursor
                cursor.flush()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.pool.connection() as connection:
            return connection.execute(sql, tuple(params)).fetchall()

    def close(self) -> None:
        self.pool.close()


def open_database(database_url: str, *, pool_size: int = 5) -> Database:
    """On PostgreSQL a pool of one connection, growing to ``2 * pool_size`` under load."""
    if database_url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(database_url, max_size=2 * pool_size)
    return SQLiteDatabase(database_url.removeprefix("sqlite:///"))


class DatabaseUnavailable(Exception):
    """The database cannot be reached: said as it is, never as "needs katf migrate"."""


def check_reachable(database_url: str) -> None:
    """One connection tried at once: a full server or a wrong address is named as such."""
    if not database_url.startswith(("postgresql://", "postgres://")):
        return
    import psycopg

    try:
        psycopg.connect(database_url, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        if "too many connections" in str(error) or "remaining connection slots" in str(error):
            raise DatabaseUnavailable(
                "PostgreSQL has no connection left (too many connections): raise the server's"
                " max_connections or lower KATF_DB_POOL_SIZE (README, 'Connection budget')"
            ) from None
        raise DatabaseUnavailable(f"PostgreSQL cannot be reached: {error}") from None


def missing_table(error: Exception) -> bool:
    """The error of a query on a table that does not exist yet (a database never migrated)."""
    return type(error).__name__ == "UndefinedTable" or "no such table" in str(error)


def split_sql(text: str, dialect: str) -> list[str]:
    """Statements end with ';'. A line ``-- only: postgres`` keeps the next statement to it."""
    statements, only, lines = [], None, []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("-- only:"):
            only = stripped.removeprefix("-- only:").strip()
            continue
        if stripped.startswith("--") or not stripped:
            continue
        lines.append(line)
        if stripped.endswith(";"):
            if only in (None, dialect):
                statements.append("\n".join(lines))
            lines, only = [], None
    return statements
