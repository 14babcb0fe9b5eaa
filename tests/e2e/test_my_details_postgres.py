"""A volunteer's own details on PostgreSQL: the same stories, the volunteer directory's and the
administration's SQL run on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import started
from tests.e2e.test_my_details import (  # noqa: F401 - collected here again, on PostgreSQL
    test_a_plain_form_changes_the_details_and_the_rosters_follow,
    test_choosing_an_association_answers_its_request_and_staff_cannot_use_it,
    test_htmx_swaps_the_section_with_the_new_details_or_the_mistakes,
)
from web.bootstrap import Services
from web.platform.settings import Settings


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)
