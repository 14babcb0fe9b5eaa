"""The backup procedure of the README: a dump of the event store's tables alone (the events and
the idempotency keys' records), restored into an empty database, migrated and rebuilt, gives
every view as it was, and every key still stands for its one request."""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from coordination.demo import seed_demo
from coordination.idempotency_key import KeyRecord, fingerprint
from tests.conftest import scratch_database, started
from tests.integration.test_cli import run as katf
from tests.integration.test_rebuild_all import every_view
from web.bootstrap import Services
from web.platform.settings import Settings

EVENT_STORE_TABLES = ("coordination_events", "idempotency_keys")


@pytest.fixture
def original(pg_settings: Settings) -> Iterator[Services]:
    for services in started(pg_settings):
        seed_demo(services.dispatcher, lambda done, total: None)
        services.runner.catch_up()
        yield services


@pytest.fixture
def empty_database(pg_template: str) -> Iterator[str]:
    yield from scratch_database(None)


def test_an_event_store_dump_restored_and_rebuilt_reproduces_every_view(
    original: Services, empty_database: str, tmp_path: Path
) -> None:
    views = every_view(original)
    assert sum(len(rows) for rows in views.values()) > 50, "the demo fills the views"
    original.app.save(*(KeyRecord(uuid4(), fingerprint("request", n), new=True) for n in range(3)))
    keys = key_records(original)
    assert len(keys) >= 3
    dump = tmp_path / "events.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", *(f"--table={t}" for t in EVENT_STORE_TABLES)]
        + [f"--file={dump}"]
        + [original.settings.database_url],
        check=True,
        timeout=120,
    )
    original_events = original.runner.head()
    original.close()

    subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={empty_database}", str(dump)],
        check=True,
        timeout=120,
    )
    restored = dataclasses.replace(original.settings, database_url=empty_database)
    migrated = katf(restored, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    rebuilt = katf(restored, "rebuild", "all")
    assert rebuilt.returncode == 0, rebuilt.stderr

    for services in started(restored):
        assert services.runner.head() == original_events
        assert services.runner.caught_up()
        assert every_view(services) == views
        assert key_records(services) == keys


def key_records(services: Services) -> list[tuple[str, str]]:
    rows = services.db.query("SELECT id, fingerprint FROM idempotency_keys ORDER BY id")
    return [(str(row["id"]), row["fingerprint"]) for row in rows]
