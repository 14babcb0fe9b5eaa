from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import started
from tests.integration.outbox_scenarios import OutboxScenarios
from web.bootstrap import Services
from web.platform.settings import Settings

pytestmark = pytest.mark.postgres


class TestOutboxOnPostgres(OutboxScenarios):
    @pytest.fixture
    def services(self, pg_settings: Settings) -> Iterator[Services]:
        yield from started(pg_settings)
