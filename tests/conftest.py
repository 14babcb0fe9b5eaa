"""Fixtures: settings for SQLite and for the real PostgreSQL and Redis servers.

A test that needs PostgreSQL or Redis is skipped when the server is not reachable, except
when ``KATF_REQUIRE_SERVICES=1`` (CI), where it fails instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from tests.processes import PrivateRedis
from web.bootstrap import Services, bootstrap, migrate_database
from web.platform.settings import Settings

PG_URL = os.environ.get("KATF_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/katf_test")
REDIS_URL = os.environ.get("KATF_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRED = os.environ.get("KATF_REQUIRE_SERVICES") == "1"
SECRET = "test-secret-key-not-for-production"
TEMPLATE_DB = f"katf_test_template_{os.getpid()}"


def unavailable(what: str, error: Exception) -> None:
    message = f"{what} is not reachable: {error}"
    if REQUIRED:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def server_url(database: str) -> str:
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{database}"


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated database that every PostgreSQL test copies, which is fast."""
    try:
        admin = psycopg.connect(server_url("postgres"), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        unavailable("PostgreSQL", error)
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {TEMPLATE_DB}")
    migrate_database(Settings(database_url=server_url(TEMPLATE_DB), secret_key=SECRET))
    yield TEMPLATE_DB
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)")


def scratch_database(template: str | None) -> Iterator[str]:
    name = f"katf_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    yield server_url(name)
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """A migrated database of the test's own."""
    yield from scratch_database(pg_template)


@pytest.fixture
def empty_pg_url(pg_template: str) -> Iterator[str]:
    """A database with no table at all."""
    yield from scratch_database(None)


@pytest.fixture
def redis_url() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable("Redis", error)
    client.flushdb()
    client.close()
    return REDIS_URL


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, which Playwright drives; in CI its absence is a failure."""
    path = os.environ.get("KATF_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        unavailable("Chromium", FileNotFoundError(path))
    return path


def migrated_sqlite(folder: Path) -> Settings:
    """Settings of a migrated SQLite database in ``folder``, batching as the embedded default."""
    settings = Settings(
        database_url=f"sqlite:///{folder}/katf.db",
        secret_key=SECRET,
        fast_password_hashing=True,
        batch_commands=True,  # as the embedded default runs
    )
    migrate_database(settings)
    return settings


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return migrated_sqlite(tmp_path)


@pytest.fixture
def pg_settings(pg_url: str) -> Settings:
    return Settings(
        batch_commands=True,
        database_url=pg_url,
        secret_key=SECRET,
        embedded_projections=False,
        fast_password_hashing=True,
    )


def started(settings: Settings) -> Iterator[Services]:
    services = bootstrap(settings)
    services.runner.ensure_tracking()
    try:
        yield services
    finally:
        services.close()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        unavailable("redis-server", FileNotFoundError("redis-server"))
    instance = PrivateRedis()
    instance.start()
    yield instance
    instance.stop()
