"""The in-process app on SQLite, shared by the page and API tests; the production-like
settings (PostgreSQL and Redis) of the live tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from litestar.testing import TestClient

from tests.conftest import started
from web.app import create_app
from web.bootstrap import Services
from web.platform.settings import Settings


@pytest.fixture
def services(sqlite_settings: Settings) -> Iterator[Services]:
    yield from started(sqlite_settings)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services, secure_cookies=False)) as client:
        yield client


@pytest.fixture
def production(pg_settings: Settings, redis_url: str) -> Iterator[tuple[Settings, Services]]:
    settings = replace(pg_settings, redis_url=redis_url)
    yield from ((settings, services) for services in started(settings))
