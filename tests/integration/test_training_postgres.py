from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import started
from tests.integration.training_scenarios import TrainingScenarios
from web.bootstrap import Services
from web.platform.settings import Settings


@pytest.mark.postgres
class TestTrainingOnPostgres(TrainingScenarios):
    @pytest.fixture
    def services(self, pg_settings: Settings) -> Iterator[Services]:
        yield from started(pg_settings)
