"""The batcher's own copies of the aggregates it decides on, brought up to date for each batch.

Reading an aggregate whole for every command replays (and decrypts) all its events, one query
per aggregate. The shelf keeps the copies a batch leaves behind and, for the next batch, reads
only the events written since, for all of the batch's aggregates in one query (PostgreSQL) or
one small query each (SQLite). Copies of a batch whose save was refused are thrown away, so a
copy is always what the store holds once its newer events are applied. The idempotency keys'
records a batch names are read with them (on PostgreSQL in the same round trip), never kept.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from coordination.dispatch.recorder import key_records
from coordination.idempotency_key import KeyRecord

if TYPE_CHECKING:
    from eventsourcing.domain import CanMutateAggregate

DEFAULT_SIZE = 50_000


class Shelf:
    """Only the batcher's thread uses a shelf: copies are handed out without copying."""

    def __init__(self, app: Application[UUID], size: int = DEFAULT_SIZE) -> None:
        self.app, self.size = app, size
        self._copies: OrderedDict[UUID, Any] = OrderedDict()
        self._select = _bulk_select(app)

    def fetch(self, ids: Iterable[UUID], keys: Iterable[UUID] = ()) -> dict[UUID, Any]:
        """Every aggregate that exists among ``ids``, as of the last committed event, and every
        key record among ``keys``."""
        known = {i: self._copies.get(i) for i in ids}
        versions = {i: (a.version if a is not None else 0) for i, a in known.items()}
        newer: dict[UUID | str, list[StoredEvent]] = defaultdict(list)
        events, records = self._select(versions, list(keys))
        for stored in events:
            newer[stored.originator_id].append(stored)
        fetched = {}
        for aggregate_id, aggregate in known.items():
            for stored in newer.get(aggregate_id, ()):
                event = cast("CanMutateAggregate[UUID]", self.app.mapper.to_domain_event(stored))
                aggregate = event.mutate(aggregate)
            if aggregate is not None:
                fetched[aggregate_id] = aggregate
        fetched.update(records)
        return fetched

    def keep(self, aggregates: Iterable[Any]) -> None:
        """Copies that match the store: loaded, or changed and saved (but for what is read
        afresh for each request: an idempotency key's record)."""
        for aggregate in aggregates:
            if not getattr(aggregate, "shelved", True):
                continue
            self._copies[aggregate.id] = aggregate
            self._copies.move_to_end(aggregate.id)
        while len(self._copies) > self.size:
            self._copies.popitem(last=False)

    def forget(self, ids: Iterable[UUID]) -> None:
        for aggregate_id in ids:
            self._copies.pop(aggregate_id, None)


Selected = tuple[Sequence[StoredEvent], dict[UUID, KeyRecord]]


def _bulk_select(app: Application[UUID]) -> Callable[[dict[UUID, int], list[UUID]], Selected]:
    recorder: Any = app.recorder
    datastore = getattr(recorder, "datastore", None)
    if datastore is None or not hasattr(datastore, "schema"):
        return lambda versions, keys: (
            _one_by_one(recorder, versions),
            recorder.select_keys(keys) if keys else {},
        )
    # LATERAL: one index range scan per aggregate. A plain join lets the planner, which cannot
    # know how few events each id has, hash-join a scan of the whole table (276 ms a batch with
    # four million events); sessions start without JIT (``web.bootstrap.sessions_without_jit``).
    statement = SQL(
        "SELECT e.originator_id, e.originator_version, e.topic, e.state"
        " FROM unnest(%s::{id}[], %s::bigint[]) AS k(id, v) CROSS JOIN LATERAL ("
        "SELECT * FROM {schema}.{table} x WHERE x.originator_id = k.id"
        " AND x.originator_version > k.v ORDER BY x.originator_version) e"
    ).format(
        schema=Identifier(datastore.schema),
        table=Identifier(recorder.events_table_name),
        id=Identifier(datastore.originator_id_type),
    )

    def select(versions: dict[UUID, int], keys: list[UUID]) -> Selected:
        if not versions and not keys:
            return [], {}
        with (
            datastore.get_connection() as connection,
            connection.cursor() as cursor,
            connection.cursor() as key_cursor,
            connection.pipeline(),  # one round trip for the events and the keys
        ):
            cursor.execute(statement, (list(versions), list(versions.values())), prepare=True)
            if keys:
                key_cursor.execute(recorder.select_keys_statement, (keys,), prepare=True)
            events = [
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in cursor.fetchall()
            ]
            return events, key_records(key_cursor.fetchall()) if keys else {}

    return select


def _one_by_one(recorder: Any, versions: dict[UUID, int]) -> list[StoredEvent]:
    return [
        stored
        for aggregate_id, version in versions.items()
        for stored in recorder.select_events(aggregate_id, gt=version or None)
    ]
