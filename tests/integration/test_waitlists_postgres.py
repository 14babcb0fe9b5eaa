from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import started
from tests.integration.waitlist_scenarios import WaitlistScenarios
from web.bootstrap import Services
from web.platform.settings import Settings


@pytest.mark.postgres
class TestWaitlistsOnPostgres(WaitlistScenarios):
    @pytest.fixture
    def services(self, pg_settings: Settings) -> Iterator[Services]:
        yield from started(pg_settings)
