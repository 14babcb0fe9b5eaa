from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from tests.conftest import started
from tests.integration.outbox_scenarios import OutboxScenarios
from tests.integration.shift_scenarios import manager_of, open_site, plan_day, sign_up, volunteer
from tests.processes import wait_for
from web.bootstrap import Services
from web.platform.settings import Settings
from workers.delivery import statuses


class TestOutboxOnSqlite(OutboxScenarios):
    @pytest.fixture
    def services(self, sqlite_settings: Settings) -> Iterator[Services]:
        yield from started(sqlite_settings)


def test_the_embedded_default_delivers_in_process(sqlite_settings: Settings) -> None:
    """One process, no gateway configured: messages go to the log and are recorded sent."""
    for services in started(replace(sqlite_settings, quiet_hours=None)):
        services.start_projections()
        site = open_site(services)
        shift = plan_day(services, site, manager_of(site), capacity=1)[0]
        sign_up(services, shift, volunteer(services))
        wait_for(lambda: statuses(services.db).get("sent", 0) >= 1, seconds=30)  # noqa: B023
