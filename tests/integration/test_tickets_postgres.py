from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import started
from tests.integration.ticket_scenarios import TicketScenarios
from web.bootstrap import Services
from web.platform.settings import Settings


@pytest.mark.postgres
class TestTicketsOnPostgres(TicketScenarios):
    @pytest.fixture
    def settings(self, pg_settings: Settings) -> Settings:
        return pg_settings

    @pytest.fixture
    def services(self, settings: Settings) -> Iterator[Services]:
        yield from started(settings)
