"""The store's recorders: the event table written column by column, and the key table beside it.

The library sends a save's events as one array of a composite type, which the driver writes
out as text field by field in Python: for a batch of hundreds of events that was a fifth of a
web worker's time. ``ColumnRecorder`` sends the same rows as four arrays (ids, versions,
topics, states) in binary, which the driver packs in C; the table lock, the notification and
the returned notification ids are the library's.

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

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Cursor
from psycopg.rows import DictRow
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
