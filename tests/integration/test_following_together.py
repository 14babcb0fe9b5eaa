"""The live runner moves views that stand at one position together, and views that don't
(rebuilt, failing) on their own until they meet again."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.test_rebuild_all import demo_followed_live, every_view
from tests.processes import wait_for
from web.bootstrap import Services
from web.platform.settings import Settings


def followed(services: Services) -> None:
    """The runner's own loop, until every view has caught up with the log."""
    stop, wake = threading.Event(), threading.Event()
    thread = threading.Thread(target=services.runner.run, args=(stop, wake), daemon=True)
    thread.start()
    try:
        wait_for(services.runner.caught_up, seconds=60)
    finally:
        stop.set()
        wake.set()
        thread.join(timeout=10)


def decodings(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The notification ids decoded from now on, once per decoding."""
    mapper, seen = services.app.mapper, []
    decode = mapper.to_domain_event

    def counted(notification: Any) -> Any:
        seen.append(notification.id)
        return decode(notification)

    monkeypatch.setattr(mapper, "to_domain_event", counted)
    return seen


class FollowingScenarios:
    @pytest.fixture
    def settings(self) -> Settings:
        raise NotImplementedError

    @pytest.fixture
    def services(self, settings: Settings) -> Iterator[Services]:
        yield from demo_followed_live(settings)

    def test_views_at_one_position_read_each_event_once(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        live = every_view(services)
        services.runner.empty_all()
        seen = decodings(services, monkeypatch)
        followed(services)
        assert every_view(services) == live
        assert len(seen) == len(set(seen)) > 50, "each event decoded once for all the views"

    def test_a_failing_view_holds_back_no_other_and_they_meet_again(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        live = every_view(services)
        services.runner.empty_all()
        failing = services.runner.projection("shift_board")
        process, failures = failing.process, [0]

        def broken(cursor: Any, event: Any) -> Any:
            if failures[0] < 3:
                failures[0] += 1
                raise RuntimeError("the view's handler failed")
            return process(cursor, event)

        monkeypatch.setattr(failing, "process", broken)
        followed(services)
        assert failures[0] == 3
        assert every_view(services) == live
        positions = {services.runner.position(p) for p in services.runner.projections}
        assert positions == {services.runner.head()}, "every view at the same position again"

    def test_a_view_behind_catches_up_on_its_own(self, services: Services) -> None:
        live = every_view(services)
        with services.db.transaction() as cursor:  # one view emptied, the others where they are
            for table in services.runner.projection("distribution").tables:
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                "UPDATE projection_tracking SET position = 0 WHERE name = %s", ("distribution",)
            )
        followed(services)
        assert every_view(services) == live


class TestFollowingOnSQLite(FollowingScenarios):
    @pytest.fixture
    def settings(self, sqlite_settings: Settings) -> Settings:
        return sqlite_settings


@pytest.mark.postgres
class TestFollowingOnPostgres(FollowingScenarios):
    @pytest.fixture
    def settings(self, pg_settings: Settings) -> Settings:
        return pg_settings
