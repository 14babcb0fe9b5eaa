"""A view that cannot apply an event stalls, visibly and alone; resumed after the fix, every
view equals a rebuild (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from coordination.demo import seed_demo
from projections import runner as runner_module
from projections.view_state import ViewStalled, resume
from tests.conftest import started
from tests.integration.test_cli import run as katf
from tests.integration.test_rebuild_all import every_view
from web.bootstrap import Services
from web.platform.settings import Settings

POISONED_VIEW = "shift_board"


def eventually(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """Waits for the runner's thread; the deadline only ends a test that would hang."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.05)


class StalledViewScenarios:
    @pytest.fixture
    def settings(self) -> Settings:
        raise NotImplementedError

    @pytest.fixture
    def services(self, settings: Settings) -> Iterator[Services]:
        for services in started(settings):
            seed_demo(services.dispatcher, lambda done, total: None)
            yield services

    def poison(self, services: Services, monkeypatch: pytest.MonkeyPatch) -> Any:
        """The view's handler raises on one event in the middle of the log: its notification."""
        view = services.runner.projection(POISONED_VIEW)
        mine = services.app.recorder.select_notifications(
            start=0, limit=100_000, topics=list(view.topics)
        )
        poisoned = mine[len(mine) // 2]
        original = view.process

        def process(cursor: Any, event: Any) -> Any:
            if (event.originator_id, event.originator_version) == (
                poisoned.originator_id,
                poisoned.originator_version,
            ):
                raise RuntimeError("a bug in the handler")
            return original(cursor, event)

        monkeypatch.setattr(view, "process", process)
        monkeypatch.setattr(runner_module, "ATTEMPTS", 2)
        return poisoned

    def test_a_poisoned_event_stalls_only_its_view_and_resuming_equals_a_rebuild(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        runner = services.runner
        poisoned = self.poison(services, monkeypatch)
        stop, wake = threading.Event(), threading.Event()
        following = threading.Thread(target=runner.run, args=(stop, wake), daemon=True)
        following.start()
        try:

            def stalled_alone() -> bool:
                states = {view.name: view for view in runner.states()}
                others = [view for name, view in states.items() if name != POISONED_VIEW]
                return states[POISONED_VIEW].stalled and all(view.lag == 0 for view in others)

            eventually(stalled_alone, "the poisoned view stalls while the others catch up")
            states = {view.name: view for view in runner.states()}
            stalled = states[POISONED_VIEW]
            assert stalled.position < poisoned.id, "the poisoned event is never skipped"
            assert stalled.lag > 0
            assert stalled.event == poisoned.id
            assert stalled.topic == poisoned.topic
            assert "a bug in the handler" in (stalled.error or "")
            assert [v.name for v in states.values() if v.stalled] == [POISONED_VIEW]
            with pytest.raises(ViewStalled):
                runner.catch_up()

            monkeypatch.undo()  # the operator fixed the handler
            assert resume(services.db, POISONED_VIEW)
            wake.set()
            eventually(runner.caught_up, "every view reaches the head once resumed")
        finally:
            stop.set()
            wake.set()
            following.join(timeout=30)
        assert not any(view.stalled for view in runner.states())
        followed = every_view(services)
        runner.rebuild_all()
        assert every_view(services) == followed

    def test_katf_views_lists_a_stalled_view_and_katf_resume_resumes_it(
        self, services: Services, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        runner = services.runner
        self.poison(services, monkeypatch)
        view = runner.projection(POISONED_VIEW)
        for _ in range(runner_module.ATTEMPTS):
            try:
                runner._follow_to(view, runner.head(), None)
            except Exception as error:  # noqa: BLE001 - the runner's own loop does the same
                runner._failed(view, error)
        listed = katf(settings, "views")
        assert listed.returncode == 1, listed.stderr
        assert POISONED_VIEW in listed.stdout and "stalled" in listed.stdout
        assert "a bug in the handler" in listed.stdout
        monkeypatch.undo()
        resumed = katf(settings, "resume", POISONED_VIEW)
        assert resumed.returncode == 0, resumed.stderr
        runner.catch_up()
        assert katf(settings, "views").returncode == 0
        assert runner.caught_up()


class TestStalledViewsOnSQLite(StalledViewScenarios):
    @pytest.fixture
    def settings(self, sqlite_settings: Settings) -> Settings:
        return sqlite_settings


class TestStalledViewsOnPostgres(StalledViewScenarios):
    @pytest.fixture
    def settings(self, pg_settings: Settings) -> Settings:
        return pg_settings
