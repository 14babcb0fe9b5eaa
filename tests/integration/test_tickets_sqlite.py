from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import started
from tests.integration.ticket_scenarios import TicketScenarios
from web.bootstrap import Services
from web.platform.settings import Settings


class TestTicketsOnSQLite(TicketScenarios):
    @pytest.fixture
    def settings(self, sqlite_settings: Settings) -> Settings:
        return sqlite_settings

    @pytest.fixture
    def services(self, settings: Settings) -> Iterator[Services]:
        yield from started(settings)
