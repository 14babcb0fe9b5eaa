"""Every view rebuilt from one reading of the log equals the views followed live."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any
from unittest.mock import ANY

import pytest

from coordination.demo import seed_demo
from projections import runner
from projections.runner import ViewMoved
from tests.conftest import started
from web import rebuild
from web.bootstrap import Services
from web.platform.settings import Settings
from web.rebuild import RebuildFailed, balanced, rebuild_every_view


def every_view(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    tables = {t for p in services.runner.projections for t in p.tables}
    return {
        table: sorted(
            (tuple(sorted(row.items())) for row in services.db.query(f"SELECT * FROM {table}")),
            key=repr,
        )
        for table in tables
    }


def demo_followed_live(settings: Settings) -> Iterator[Services]:
    for services in started(settings):
        seed_demo(services.dispatcher, lambda done, total: None)
        services.runner.catch_up()
        yield services


class RebuildAllScenarios:
    @pytest.fixture
    def settings(self) -> Settings:
        raise NotImplementedError

    @pytest.fixture
    def services(self, settings: Settings) -> Iterator[Services]:
        yield from demo_followed_live(settings)

    def test_every_view_rebuilt_at_once_equals_the_live_views(self, services: Services) -> None:
        live = every_view(services)
        assert sum(len(rows) for rows in live.values()) > 50, "the demo fills the views"
        seen: list[tuple[int, int]] = []
        services.runner.rebuild_all(lambda done, total: seen.append((done, total)))
        assert every_view(services) == live
        assert seen and seen[-1][0] == seen[-1][1] == services.runner.head()
        assert services.runner.caught_up()

    def test_every_view_rebuilt_in_many_batches_equals_the_live_views(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        live = every_view(services)
        monkeypatch.setattr(runner, "REBUILD_BATCH", 7)
        seen: list[tuple[int, int]] = []
        services.runner.rebuild_all(lambda done, total: seen.append((done, total)))
        assert every_view(services) == live
        head = services.runner.head()
        assert len(seen) >= len(live) // 7 and seen[-1] == (head, head)
        assert [done for done, _ in seen] == sorted({done for done, _ in seen})

    def test_a_view_moved_by_another_worker_is_finished_on_its_own(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        live = every_view(services)

        def moved(*_: Any, **__: Any) -> int:
            raise ViewMoved("shift_board")

        monkeypatch.setattr(services.runner, "_replay_batch", moved)
        services.runner.rebuild_all()
        assert every_view(services) == live

    def test_the_next_span_of_the_log_is_read_while_a_batch_is_written(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        live = every_view(services)
        monkeypatch.setattr(runner, "REBUILD_BATCH", 7)
        target, seen = services.runner.head(), list[tuple[str, int, str]]()
        span, replay_batch = services.runner._span, services.runner._replay_batch

        def reading(position: int, until: int) -> tuple[int, list[Any]]:
            seen.append(("read", position, threading.current_thread().name))
            return span(position, until)

        def writing(position: int, new_position: int, *args: Any, **kwargs: Any) -> None:
            deadline = time.monotonic() + 2
            while new_position < target and time.monotonic() < deadline:
                if ("read", new_position) in [entry[:2] for entry in seen]:
                    break
                time.sleep(0.001)
            seen.append(("written", position, threading.current_thread().name))
            replay_batch(position, new_position, *args, **kwargs)

        monkeypatch.setattr(services.runner, "_span", reading)
        monkeypatch.setattr(services.runner, "_replay_batch", writing)
        services.runner.rebuild_all()
        assert every_view(services) == live
        reads = [position for kind, position, _ in seen if kind == "read"]
        written = [position for kind, position, _ in seen if kind == "written"]
        assert len(reads) > 3 and reads == written
        assert {name.split("_")[0] for kind, _, name in seen if kind == "read"} == {"log-reader"}
        for later in reads[1:]:  # each span read before the batch ahead of it was written
            assert seen.index(("read", later, ANY)) < seen.index(
                ("written", reads[reads.index(later) - 1], ANY)
            )

    def test_a_span_that_cannot_be_read_stops_the_replay_with_its_error(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(runner, "REBUILD_BATCH", 7)
        span, reads = services.runner._span, []

        def failing(position: int, until: int) -> tuple[int, list[Any]]:
            reads.append(position)
            if len(reads) == 3:
                raise OSError("the log could not be read")
            return span(position, until)

        monkeypatch.setattr(services.runner, "_span", failing)
        with pytest.raises(OSError, match="could not be read"):
            services.runner.rebuild_all()


class TestRebuildAllOnSQLite(RebuildAllScenarios):
    @pytest.fixture
    def settings(self, sqlite_settings: Settings) -> Settings:
        return sqlite_settings


class TestRebuildAllOnPostgres(RebuildAllScenarios):
    @pytest.fixture
    def settings(self, pg_settings: Settings) -> Settings:
        return pg_settings

    def test_a_rebuild_starts_from_fresh_tables(self, services: Services) -> None:
        """Truncated, not deleted from: no dead row of the old view is left for the replay to
        step over (a new table file is the sign of it)."""
        tables = sorted({t for p in services.runner.projections for t in p.tables})

        def files() -> dict[str, int]:
            return {
                t: services.db.query("SELECT pg_relation_filenode(%s) AS f", (t,))[0]["f"]
                for t in tables
            }

        before = files()
        services.runner.rebuild_all()
        after = files()
        assert all(after[t] != before[t] for t in tables)
        services.runner.rebuild(services.runner.projection("shift_board"))
        assert files()["shift_board"] != after["shift_board"]

    def test_a_replay_plans_each_statement_for_the_tables_as_they_stand(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The views' tables grow from nothing: a plan the server kept from when they were
        empty would scan every row of them for each statement until the replay ends."""
        view = services.runner.projection("shift_board")
        modes: list[str] = []
        process = view.process

        def planned(cursor: Any, event: Any) -> Any:
            cursor.execute("SELECT current_setting('plan_cache_mode') AS mode")
            modes.append(cursor.fetchone()["mode"])
            return process(cursor, event)

        monkeypatch.setattr(view, "process", planned)
        services.runner.rebuild_all()
        assert modes and set(modes) == {"force_custom_plan"}
        # the setting is the replay's transactions' own
        assert services.db.query("SELECT current_setting('plan_cache_mode') AS mode") == [
            {"mode": "auto"}
        ]


class TestRebuildByTwoProcesses:
    @pytest.fixture
    def services(self, pg_settings: Settings) -> Iterator[Services]:
        yield from demo_followed_live(pg_settings)

    def test_two_processes_rebuild_every_view_as_it_was(self, services: Services) -> None:
        live = every_view(services)
        seen: list[tuple[int, int]] = []
        rebuild_every_view(services, lambda done, total: seen.append((done, total)), workers=2)
        assert every_view(services) == live
        assert seen[-1] == (services.runner.head(), services.runner.head())
        assert services.runner.caught_up()

    def test_a_group_that_fails_is_finished_here(
        self, services: Services, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        live = every_view(services)

        def failed(*_: Any) -> None:
            raise RebuildFailed("rebuild-1 ended (-9)")

        monkeypatch.setattr(rebuild, "_follow", failed)
        rebuild_every_view(services, workers=2)
        assert every_view(services) == live


def test_views_are_grouped_by_the_events_they_replay() -> None:
    class View:
        def __init__(self, name: str, topics: tuple[str, ...]) -> None:
            self.name, self.topics = name, topics

    views: list[Any] = [
        View("distribution", ("household",)),
        View("packing", ("stock", "site")),
        View("shifts", ("shift", "site")),
        View("tickets", ("ticket",)),
    ]
    counts = {"household": 2_000_000, "stock": 1_000_000, "shift": 50_000, "site": 40, "ticket": 9}
    assert balanced(views, counts, 2) == [["distribution"], ["packing", "shifts", "tickets"]]
    assert balanced(views, counts, 8) == [["distribution"], ["packing"], ["shifts"], ["tickets"]]
