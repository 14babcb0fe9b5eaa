"""Migrations own every table: applied once, in order, safely by several processes at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrations.apply import FROM_STORE, pending_migrations, sql_steps
from tests.processes import environment
from web.platform.settings import Settings

SECRET = "migration-test-secret"


def run_katf(settings: Settings, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "web.cli", *args],
        env=environment(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def migrate_concurrently(settings: Settings, processes: int = 4) -> None:
    running = [run_katf(settings, "migrate") for _ in range(processes)]
    for process in running:
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr.decode()


def applied_once(settings: Settings) -> None:
    from projections.database import open_database

    db = open_database(settings.database_url)
    try:
        names = [r["name"] for r in db.query("SELECT name FROM schema_migrations")]
    finally:
        db.close()
    assert sorted(names) == sorted(set(names))
    assert len(names) == len(FROM_STORE) + len(sql_steps())
    assert pending_migrations(settings.database_url) == []


def test_concurrent_migrations_on_sqlite(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/katf.db", secret_key=SECRET)
    assert pending_migrations(settings.database_url)[0] == "0001_event_store"
    migrate_concurrently(settings)
    applied_once(settings)


@pytest.mark.postgres
def test_concurrent_migrations_on_postgres(empty_pg_url: str) -> None:
    settings = Settings(database_url=empty_pg_url, secret_key=SECRET)
    assert len(pending_migrations(empty_pg_url)) == len(FROM_STORE) + len(sql_steps())
    migrate_concurrently(settings)
    applied_once(settings)


def test_serving_an_unmigrated_database_says_what_to_do(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/katf.db", secret_key=SECRET)
    process = run_katf(settings, "serve", "--port", "0")
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 2
    assert b"katf migrate" in stderr
