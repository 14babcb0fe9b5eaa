"""The store's recorders: the event table written column by column, and the key table beside it.

The library sends a save's events as one array of a composite type, which the driver writes
out as text field by field in Python: for a batch of hundreds of events that was a fifth of a
web worker's time. ``ColumnRecorder`` sends the same rows as four arrays (ids, versions,
topics, states) in binary, which the driver packs in C; the table lock, the notification and
the returned notification ids are the library's. It reads a span of the log in binary too
(``select_notifications``), and ``analyze`` brings the server's statistics of the event table
up to date before a rebuild reads all of it.

Both recorders (PostgreSQL and SQLite) also keep the idempotency keys' records
(``KeyRecord``): a save's new records (``keys=``) are written in the transaction of its events,
before the table lock is taken and in one order (by id), so two writes never wait on each
other's keys in a cycle; a key recorded already refuses the whole write (``IntegrityError``),
as an aggregate's version taken already does. Records are read by id: on PostgreSQL with
``select_keys_statement``, in the shelf's round trip for the batch's events; on SQLite with
``select_keys``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Composed, Identifier

from coordination.idempotency_key import KeyRecord

TOPIC = "coordination.dispatch.recorder:ColumnRecorder"
SQLITE_TOPIC = "coordination.dispatch.recorder:KeyedSQLiteRecorder"
KEYS_TABLE = "idempotency_keys"  # migrations/0027_idempotency_keys.sql
SQLITE_CHUNK = 500  # ids in one IN list, well under SQLite's limit on a statement's values


class ColumnRecorder(PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema = Identifier(datastore.schema)
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[])"
            " RETURNING notification_id"
        ).format(
            schema=schema,
            table=Identifier(events_table_name),
            id_type=Identifier(datastore.originator_id_type),
        )
        self.insert_keys_statement = SQL(
            "INSERT INTO {schema}.{table} (id, fingerprint)"
            " SELECT * FROM unnest(%b::uuid[], %b::text[])"
        ).format(schema=schema, table=Identifier(KEYS_TABLE))
        self.select_keys_statement: Composed = SQL(
            "SELECT id, fingerprint FROM {schema}.{table} WHERE id = ANY(%b::uuid[])"
        ).format(schema=schema, table=Identifier(KEYS_TABLE))
        self.analyze_statement = SQL("ANALYZE {schema}.{table}").format(
            schema=schema, table=Identifier(events_table_name)
        )
        # a span's statement by its shape (which bounds, whether of topics): a few, made once
        self.span_statements: dict[tuple[bool, bool, bool, bool], Composed] = {}

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """The library's read of a span of the log, its rows read in binary as tuples: the
        library's reads them as text into dictionaries (a bytea column is sent as hex), then
        makes each notification through its frozen initialiser, about two thirds of the time
        a rebuild spent reading the log."""
        shape = (start is not None, stop is not None, bool(topics), inclusive_of_start)
        statement = self.span_statements.get(shape)
        if statement is None:
            statement = self.span_statements[shape] = self._span_statement(*shape)
        params: list[Any] = [value for value in (start, stop) if value is not None]
        if topics:
            params.append(list(topics))
        params.append(limit)
        with (
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row, binary=True) as curs,
        ):
            curs.execute(statement, params, prepare=True)
            return [_notification(row) for row in curs.fetchall()]

    def _span_statement(
        self, after: bool, until: bool, of_topics: bool, inclusive_of_start: bool
    ) -> Composed:
        conditions = []
        if after:
            conditions.append(
                "notification_id >= %s" if inclusive_of_start else "notification_id > %s"
            )
        if until:
            conditions.append("notification_id <= %s")
        if of_topics:
            conditions.append("topic = ANY(%s)")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            " FROM {schema}.{table}" + where + " ORDER BY notification_id LIMIT %s"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))

    def analyze(self) -> None:
        """The server's statistics of the event table brought up to date, from a sample of
        its rows (a moment however long the log): with none, the planner reads a span of the
        log by scanning all of it after the span's start."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self.analyze_statement)

    def _insert_events(
        self,
        curs: Cursor[DictRow],
        stored_events: Sequence[StoredEvent],
        *,
        keys: Sequence[KeyRecord] = (),
        **_: Any,
    ) -> None:
        if keys:
            records = in_one_order(keys)
            curs.execute(
                self.insert_keys_statement,
                ([r.id for r in records], [r.fingerprint for r in records]),
            )

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any
    ) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(
            self.insert_events_statement,
            (
                [event.originator_id for event in stored_events],
                [event.originator_version for event in stored_events],
                [event.topic for event in stored_events],
                [event.state for event in stored_events],
            ),
        )


class KeyedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, keeping the keys' records too."""

    def analyze(self) -> None:
        """Nothing to do: SQLite reads a span of the log by its rowid, whatever it knows."""

    def _insert_events(
        self,
        c: SQLiteCursor,
        stored_events: Sequence[StoredEvent],
        *,
        keys: Sequence[KeyRecord] = (),
        **kwargs: Any,
    ) -> Sequence[int] | None:
        if keys:
            c.executemany(
                f"INSERT INTO {KEYS_TABLE} (id, fingerprint) VALUES (?, ?)",
                [(str(r.id), r.fingerprint) for r in in_one_order(keys)],
            )
        return super()._insert_events(c, stored_events, **kwargs)

    def select_keys(self, ids: Iterable[UUID]) -> dict[UUID, KeyRecord]:
        wanted = [str(i) for i in ids]
        records: dict[UUID, KeyRecord] = {}
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(wanted), SQLITE_CHUNK):
                chunk = wanted[start : start + SQLITE_CHUNK]
                marks = ", ".join("?" * len(chunk))
                c.execute(f"SELECT id, fingerprint FROM {KEYS_TABLE} WHERE id IN ({marks})", chunk)
                records.update(key_records(c.fetchall()))
        return records


_new = object.__new__
_set = object.__setattr__


def _notification(row: tuple[Any, ...]) -> Notification:
    """A notification made as its frozen initialiser would make it, without the initialiser's
    call for each field."""
    notification = _new(Notification)
    _set(
        notification,
        "__dict__",
        {
            "id": row[0],
            "originator_id": row[1],
            "originator_version": row[2],
            "topic": row[3],
            "state": row[4],
        },
    )
    return notification


def in_one_order(keys: Iterable[KeyRecord]) -> list[KeyRecord]:
    """By id (as integers: the order of UUIDs, without a Python comparison for each pair)."""
    return sorted(keys, key=lambda record: record.id.int)


def key_records(rows: Iterable[Any]) -> dict[UUID, KeyRecord]:
    """Records from rows of (id, fingerprint), by id."""
    records = {}
    for row in rows:
        record_id = row["id"] if isinstance(row["id"], UUID) else UUID(row["id"])
        records[record_id] = KeyRecord(record_id, row["fingerprint"])
    return records
