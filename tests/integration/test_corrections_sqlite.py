from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import started
from tests.integration.correction_scenarios import CorrectionScenarios
from web.bootstrap import Services
from web.platform.settings import Settings


class TestCorrectionsOnSqlite(CorrectionScenarios):
    @pytest.fixture
    def services(self, sqlite_settings: Settings) -> Iterator[Services]:
        yield from started(sqlite_settings)
