"""The event table written column by column: the same rows, the same guarantees."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder

from coordination.dispatch.recorder import ColumnRecorder
from tests.conftest import started
from web.bootstrap import Services
from web.platform.settings import Settings


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


def events(count: int, version: int = 1) -> list[StoredEvent]:
    return [
        StoredEvent(uuid4(), version, f"coordination.topic:Event{n % 3}", bytes([n % 256]) * n)
        for n in range(count)
    ]


def test_the_app_on_postgresql_writes_through_the_column_recorder(services: Services) -> None:
    assert type(services.app.recorder) is ColumnRecorder


def test_rows_read_back_as_written_with_ids_in_order(services: Services) -> None:
    recorder = services.app.recorder
    start = recorder.max_notification_id() or 0
    written = events(300)
    ids = recorder.insert_events(written)
    assert ids == list(range(start + 1, start + 301))
    read = recorder.select_notifications(start + 1, limit=1000)
    assert [(n.originator_id, n.originator_version, n.topic, n.state) for n in read] == [
        (e.originator_id, e.originator_version, e.topic, e.state) for e in written
    ]


def test_the_library_recorder_reads_the_same_rows(services: Services) -> None:
    recorder = services.app.recorder
    library = PostgresApplicationRecorder(
        recorder.datastore, events_table_name=recorder.events_table_name
    )
    written = events(5)
    recorder.insert_events(written)
    for event in written:
        assert library.select_events(event.originator_id) == [event]


def test_a_version_taken_refuses_the_whole_write(services: Services) -> None:
    recorder = services.app.recorder
    first = events(2)
    recorder.insert_events(first)
    before = recorder.max_notification_id()
    clash = [*events(3), StoredEvent(first[1].originator_id, 1, "coordination.topic:X", b"x")]
    with pytest.raises(IntegrityError):
        recorder.insert_events(clash)
    assert recorder.max_notification_id() == before
    assert recorder.select_events(clash[0].originator_id) == []
