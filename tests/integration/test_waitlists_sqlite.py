from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import started
from tests.integration.waitlist_scenarios import WaitlistScenarios
from web.bootstrap import Services
from web.platform.settings import Settings


class TestWaitlistsOnSqlite(WaitlistScenarios):
    @pytest.fixture
    def services(self, sqlite_settings: Settings) -> Iterator[Services]:
        yield from started(sqlite_settings)
