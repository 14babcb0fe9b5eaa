"""Idempotency keys' records kept in the key table, in the transaction of their request's events
— on SQLite and PostgreSQL alike — and the records earlier releases kept in the log, copied
there by a migration, still holding their requests to one body."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from coordination.areas.distribution.commands import HandOff
from coordination.dispatch.shelf import Shelf
from coordination.household import Household
from coordination.idempotency_key import (
    IdempotencyKey,
    IdempotencyKeyInFlight,
    IdempotencyKeyReused,
    KeyRecord,
    fingerprint,
    key_record_id,
)
from coordination.permissions import SYSTEM
from tests.conftest import migrated_sqlite, started
from tests.integration.distribution_scenarios import distribution, household
from tests.integration.test_batching import Turns
from web.bootstrap import Services, migrate_database
from web.platform.settings import Settings

RECORDED = get_topic(IdempotencyKey.Recorded)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "sqlite":
        return migrated_sqlite(tmp_path)
    pg: Settings = request.getfixturevalue("pg_settings")
    return pg


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    yield from started(settings)


def topics_in_the_log(services: Services) -> list[str]:
    return [n.topic for n in services.app.recorder.select_notifications(1, 100_000)]


def point_with_a_family(services: Services) -> tuple[UUID, UUID, UUID]:
    world = distribution(services)
    return world["a"], world["round"], household(services, world["a"])[1]


def hand_off(services: Services, point: UUID, round_id: UUID, family: UUID, key: str) -> object:
    command = HandOff(point, round_id, family, "food_box", 1, key)
    return services.dispatcher.run(command, SYSTEM)


def test_a_keyed_request_records_its_key_in_the_table_and_no_event_of_its_own(
    services: Services,
) -> None:
    point, round_id, family = point_with_a_family(services)
    before = len(topics_in_the_log(services))
    hand_off(services, point, round_id, family, "first-hand-off")

    written = topics_in_the_log(services)[before:]
    assert written and RECORDED not in written, "the hand-off's events, and no key's event"
    record_id = key_record_id(point, "first-hand-off")
    [record] = services.app.read_many((), keys=(record_id,)).values()
    assert record.id == record_id and not record.new
    with pytest.raises(IdempotencyKeyReused):
        hand_off(services, point, round_id, household(services, point)[1], "first-hand-off")


def test_a_key_recorded_already_refuses_the_whole_write(services: Services) -> None:
    store = services.app
    record_id = uuid4()
    store.save(KeyRecord(record_id, "a1", new=True))
    household = Household.register("f" * 64, "1234", 3, "cairo")
    with pytest.raises(IntegrityError):
        store.save(household, KeyRecord(record_id, "b2", new=True))
    assert not store.exists(household.id), "nothing of the refused write was recorded"
    assert store.read_many((), keys=(record_id,))[record_id].fingerprint == "a1"


def test_records_earlier_releases_kept_in_the_log_are_copied_and_still_hold(
    settings: Settings,
) -> None:
    for services in started(settings):
        point, round_id, family = point_with_a_family(services)
        fields = ("HandOff", family, round_id, "food_box", 1, None, None)
        record_id = key_record_id(point, "kept-in-the-log")
        services.app.save(IdempotencyKey(point, "kept-in-the-log", fingerprint(*fields)))
        assert RECORDED in topics_in_the_log(services), "recorded as an earlier release did"
        forget_the_copy(services)

    assert "0028_idempotency_keys_from_log" in migrate_database(settings)

    for services in started(settings):
        [record] = services.app.read_many((), keys=(record_id,)).values()
        assert record.fingerprint == fingerprint(*fields)
        with pytest.raises(IdempotencyKeyReused):
            hand_off(services, point, round_id, household(services, point)[1], "kept-in-the-log")
        assert hand_off(services, point, round_id, family, "kept-in-the-log"), "its own body"
        assert RECORDED in topics_in_the_log(services), "events are forever: still in the log"


def forget_the_copy(services: Services) -> None:
    """The database as it was before the key table's migrations ran on it."""
    with services.db.transaction() as cursor:
        cursor.execute("DELETE FROM idempotency_keys")
        cursor.execute(
            "DELETE FROM schema_migrations WHERE name = %s", ("0028_idempotency_keys_from_log",)
        )


def test_a_key_recorded_by_another_process_after_the_read_ahead_is_found_when_decided_again(
    services: Services,
) -> None:
    """A hand-off's key is read before the turn on the point's stock is taken; another
    process recording the same key with another request meanwhile refuses the save, and the
    batch decided again refuses this request instead of recording it twice."""
    point, round_id, family = point_with_a_family(services)
    record_id = key_record_id(point, "raced")

    def another_request_takes_the_key() -> None:
        services.app.save(KeyRecord(record_id, fingerprint("another request"), new=True))

    turns = Turns(services, meanwhile=another_request_takes_the_key)
    with pytest.raises(IdempotencyKeyReused):
        hand_off(services, point, round_id, family, "raced")
    assert [held for held, _ in turns.reads].count(False) == 2, "read ahead, then again"
    assert services.app.read_many((), keys=(record_id,))[record_id].fingerprint == fingerprint(
        "another request"
    )


def test_a_batch_reads_its_aggregates_and_key_records_together_and_is_decided_as_a_batch(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    point, round_id, family = point_with_a_family(services)
    recorded = KeyRecord(uuid4(), fingerprint("recorded"), new=True)
    services.app.save(recorded)
    shelf = Shelf(services.app)
    for _ in range(2):  # the second time from the shelf's copies
        fetched = shelf.fetch([point, family, uuid4()], [recorded.id, uuid4()])
        assert set(fetched) == {point, family, recorded.id}
        assert fetched[recorded.id] == KeyRecord(recorded.id, recorded.fingerprint)
        shelf.keep(fetched.values())

    batcher: Any = services.dispatcher.batcher
    monkeypatch.setattr(batcher, "_alone", lambda command: pytest.fail("decided alone"))
    monkeypatch.setattr(batcher, "read_ahead_from", 1)  # the keys read ahead, as an upload's
    assert hand_off(services, point, round_id, family, "in-a-batch")
    with pytest.raises(IdempotencyKeyReused):
        hand_off(services, point, round_id, household(services, point)[1], "in-a-batch")


@pytest.mark.postgres
def test_a_key_another_process_is_deciding_is_answered_in_flight_then_as_the_first_time(
    pg_settings: Settings,
) -> None:
    """Two processes on one database (each its own batcher and locks): while the first decides
    a hand-off, the same key at the second is told at once to ask again in a moment (409 with
    Retry-After); asked again once the first is done, it is answered as the first was."""
    first, second = started(pg_settings), started(pg_settings)
    one, other = next(first), next(second)
    try:
        point, round_id, family = point_with_a_family(one)
        answers: list[object] = []
        batcher: Any = one.dispatcher.batcher
        turn = batcher.serialize

        @contextmanager
        def deciding(ids: set[UUID]) -> Iterator[None]:
            with turn(ids):
                if not answers:  # asked from a thread: without an answer at once, it waits
                    asked = ThreadPoolExecutor(1).submit(
                        hand_off, other, point, round_id, family, "in-flight"
                    )
                    with pytest.raises(IdempotencyKeyInFlight) as told:
                        asked.result(timeout=10)
                    answers.append(told.value)
                yield

        batcher.serialize = deciding
        given = hand_off(one, point, round_id, family, "in-flight")
        assert isinstance(answers[0], IdempotencyKeyInFlight) and answers[0].retry_after >= 1
        again = hand_off(other, point, round_id, family, "in-flight")
        assert again == replace(given, recorded=False)
    finally:
        for services in (first, second):
            services.close()
