from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import started
from tests.integration.correction_scenarios import CorrectionScenarios
from web.bootstrap import Services
from web.platform.settings import Settings


@pytest.mark.postgres
class TestCorrectionsOnPostgres(CorrectionScenarios):
    @pytest.fixture
    def services(self, pg_settings: Settings) -> Iterator[Services]:
        yield from started(pg_settings)
