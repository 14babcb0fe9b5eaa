"""The event table written column by column: the same rows, the same guarantees."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
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


@pytest.mark.parametrize(
    ("start", "stop", "topics", "inclusive"),
    [
        (None, None, (), True),
        ("first", None, (), True),
        ("first", None, (), False),
        ("first", "last", (), False),
        (None, "last", ("coordination.topic:Event1",), True),
        ("first", "last", ("coordination.topic:Event0", "coordination.topic:Event2"), False),
    ],
)
def test_a_span_of_the_log_reads_as_the_library_reads_it(
    services: Services,
    start: str | None,
    stop: str | None,
    topics: tuple[str, ...],
    inclusive: bool,
) -> None:
    recorder = services.app.recorder
    first = (recorder.max_notification_id() or 0) + 1
    recorder.insert_events(events(40))
    bounds = {"first": first + 5, "last": first + 30, None: None}
    library = PostgresApplicationRecorder(
        recorder.datastore, events_table_name=recorder.events_table_name
    )
    asked = {
        "start": bounds[start],
        "limit": 20,
        "stop": bounds[stop],
        "topics": topics,
        "inclusive_of_start": inclusive,
    }
    read = recorder.select_notifications(**asked)
    assert read == library.select_notifications(**asked)
    assert read and all(type(n.state) is bytes for n in read)


def test_the_log_is_analyzed_for_a_rebuild(services: Services) -> None:
    """A log restored, or grown where nothing analyzed it, has no statistics: a replay would
    then read each span by scanning the whole log after it."""
    recorder = services.app.recorder
    recorder.insert_events(events(50))

    def analyzed() -> Any:
        rows = services.db.query(
            "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s",
            (recorder.events_table_name,),
        )
        return rows[0]["last_analyze"]

    before = analyzed()
    services.runner.empty_all()
    after = analyzed()
    assert after is not None and (before is None or after > before)
    services.runner.rebuild(services.runner.projection("shift_board"))  # one view
    assert analyzed() > after
