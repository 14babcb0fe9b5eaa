"""The batcher's shelf: copies kept between batches, never older than the store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from coordination.areas.sign_ups.commands import SignUp
from coordination.dispatch.shelf import Shelf
from coordination.permissions import SYSTEM
from tests.conftest import started
from tests.integration.scenarios import make_shift, register
from web.bootstrap import Services
from web.platform.settings import Settings


class ShelfScenarios:
    @pytest.fixture
    def settings(self) -> Settings:
        raise NotImplementedError

    @pytest.fixture
    def services(self, settings: Settings) -> Iterator[Services]:
        yield from started(replace(settings, batch_commands=True))

    def test_a_kept_copy_catches_up_with_writes_made_elsewhere(self, services: Services) -> None:
        shift = make_shift(services, capacity=5)
        shelf = Shelf(services.app)
        shelf.keep(shelf.fetch([shift]).values())
        services.dispatcher.run(SignUp(shift, register(services), "k"), SYSTEM)
        assert shelf.fetch([shift])[shift].taken == 1
        assert services.app.repository.get(shift).version == shelf.fetch([shift])[shift].version

    def test_one_fetch_brings_many_aggregates_and_skips_unknown_ones(
        self, services: Services
    ) -> None:
        volunteers = [register(services, f"V{n}") for n in range(5)]
        fetched = Shelf(services.app).fetch([*volunteers, uuid4()])
        assert set(fetched) == set(volunteers)
        assert {v: a.version for v, a in fetched.items()} == {
            v: services.app.repository.get(v).version for v in volunteers
        }

    def test_a_refused_batch_is_decided_again_and_leaves_no_unsaved_copy(
        self, services: Services
    ) -> None:
        shift = make_shift(services, capacity=3)
        volunteer = register(services)
        batcher: Any = services.dispatcher.batcher
        original, refusals = batcher._save, []

        def save_refusing_once(*aggregates: Any) -> Any:
            if not refusals:
                refusals.append(True)
                raise IntegrityError("another process wrote first")
            return original(*aggregates)

        batcher._save = save_refusing_once
        result = services.dispatcher.run(SignUp(shift, volunteer, "k"), SYSTEM)
        assert refusals and result.outcome == "signed_up", "decided again on fresh aggregates"
        kept = batcher._shelf.fetch([shift])[shift]
        assert kept.taken == 1 and not kept.pending_events
        assert kept.version == services.app.repository.get(shift).version

    def test_the_shelf_stays_within_its_size(self, services: Services) -> None:
        volunteers = [register(services, f"V{n}") for n in range(6)]
        shelf = Shelf(services.app, size=4)
        shelf.keep(shelf.fetch(volunteers).values())
        assert list(shelf._copies) == volunteers[-4:], "the least recently used go first"


class TestShelfOnSQLite(ShelfScenarios):
    @pytest.fixture
    def settings(self, sqlite_settings: Settings) -> Settings:
        return sqlite_settings


class TestShelfOnPostgres(ShelfScenarios):
    @pytest.fixture
    def settings(self, pg_settings: Settings) -> Settings:
        return pg_settings
