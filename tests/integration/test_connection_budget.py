"""A PostgreSQL server with no connection left is reported as such, and the pools are sized
from KATF_DB_POOL_SIZE."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.conftest import server_url
from tests.integration.test_cli import run as katf
from web.platform.settings import Settings, SettingsError, load_settings

FULL_ROLE = "katf_no_slots"


@pytest.fixture
def full_server_url(pg_settings: Settings) -> Iterator[str]:
    """A role whose connection limit is reached: the server answers as a full one does."""
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP ROLE IF EXISTS {FULL_ROLE}")
        admin.execute(f"CREATE ROLE {FULL_ROLE} LOGIN CONNECTION LIMIT 0")
    url = urlsplit(pg_settings.database_url)
    yield urlunsplit(url._replace(netloc=f"{FULL_ROLE}@{url.hostname}:{url.port or 5432}"))
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP ROLE IF EXISTS {FULL_ROLE}")


def test_a_full_server_is_named_as_full_not_as_unmigrated(
    pg_settings: Settings, full_server_url: str
) -> None:
    answer = katf(dataclasses.replace(pg_settings, database_url=full_server_url), "views")
    assert answer.returncode == 3
    said = " ".join(answer.stderr.split())
    assert "too many connections" in said and "KATF_DB_POOL_SIZE" in said
    assert "katf migrate" not in said


def test_the_pools_are_sized_from_the_setting() -> None:
    settings = load_settings(
        {
            "KATF_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/katf",
            "KATF_SECRET_KEY": "k",
            "KATF_DB_POOL_SIZE": "3",
        }
    )
    env = settings.eventsourcing_env()
    assert (env["POSTGRES_POOL_SIZE"], env["POSTGRES_MAX_OVERFLOW"]) == ("3", "6")
    with pytest.raises(SettingsError, match="KATF_DB_POOL_SIZE"):
        load_settings({"KATF_DATABASE_URL": "sqlite:///x.db", "KATF_DB_POOL_SIZE": "many"})
