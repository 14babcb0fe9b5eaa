"""Link requests and registrations to check, the same stories on PostgreSQL (the read model's
SQL, its UPDATE ... FROM and INSERT ... SELECT, runs on both databases)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import started
from tests.e2e.test_link_requests import (  # noqa: F401 - collected here again, on PostgreSQL
    test_a_declined_request_leaves_the_roster_untouched,
    test_the_volunteer_is_asked_and_shown_only_once_they_accept,
)
from tests.e2e.test_registration_checks import (  # noqa: F401 - collected here again
    test_a_rejected_registration_lets_go_of_the_record,
    test_the_owner_registers_is_checked_then_confirmed,
)
from web.bootstrap import Services
from web.platform.settings import Settings


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    for services in started(pg_settings):
        services.start_jobs()  # imports wait for a job worker on PostgreSQL (katf project's)
        yield services
