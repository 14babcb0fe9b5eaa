"""Applies pending migrations under a lock, so several workers may start together."""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from projections.database import (
    Database,
    check_reachable,
    missing_table,
    open_database,
    split_sql,
)

HERE = Path(__file__).parent
EVENT_STORE = "0001_event_store"
KEYS_FROM_LOG = "0028_idempotency_keys_from_log"
FROM_STORE = (EVENT_STORE, KEYS_FROM_LOG)  # steps the event store's code gives (``migrate``)
LOCK_KEY = 7_146_600_001


@dataclass(frozen=True)
class Step:
    """``statements`` for a dialect: SQL text, or (SQL, parameters)."""

    name: str
    statements: Callable[[str], list[Any]]


def sql_steps() -> list[Step]:
    return [
        Step(path.stem, partial(_read_sql, path))
        for path in sorted(HERE.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    ]


def _read_sql(path: Path, dialect: str) -> list[Any]:
    return split_sql(path.read_text(), dialect)


def migrate(database_url: str, from_store: dict[str, Callable[[str], list[Any]]]) -> list[str]:
    """Applies what is pending and returns the names applied, in order. ``from_store`` gives
    the statements of the steps named in ``FROM_STORE``: the event store's own tables, and
    data this package cannot read (events)."""
    database = open_database(database_url)
    try:
        with _migration_lock(database, database_url):
            _ensure_ledger(database)
            done = {row["name"] for row in database.query("SELECT name FROM schema_migrations")}
            given = [Step(name, from_store[name]) for name in FROM_STORE]
            steps = sorted([*given, *sql_steps()], key=lambda step: step.name)
            applied = []
            for step in steps:
                if step.name in done:
                    continue
                statements = step.statements(database.dialect)  # may read: before the write
                with database.transaction() as cursor:
                    for statement in statements:
                        if isinstance(statement, tuple):
                            cursor.execute(*statement)
                        else:
                            cursor.execute(statement)
                    cursor.execute(
                        "INSERT INTO schema_migrations (name, applied_at) VALUES (%s, %s)",
                        (step.name, datetime.now(UTC).isoformat()),
                    )
                applied.append(step.name)
            return applied
    finally:
        database.close()


def pending_migrations(database_url: str) -> list[str]:
    """The steps not yet applied; all of them on a database never migrated."""
    names = sorted([*FROM_STORE, *(step.name for step in sql_steps())])
    check_reachable(database_url)
    database = open_database(database_url)
    try:
        done = {row["name"] for row in database.query("SELECT name FROM schema_migrations")}
    except Exception as error:
        if not missing_table(error):
            raise
        return names
    finally:
        database.close()
    return [name for name in names if name not in done]


def _ensure_ledger(database: Database) -> None:
    with database.transaction() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )


@contextmanager
def _migration_lock(database: Any, database_url: str) -> Iterator[None]:
    if database.dialect == "postgres":
        with database.pool.connection() as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        return
    lock_path = Path(database.path + ".migrate.lock")
    with open(lock_path, "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
