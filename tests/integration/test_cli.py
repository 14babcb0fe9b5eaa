"""The katf command: the first admin from the command line, rebuilding a view."""

from __future__ import annotations

import argparse
import gc
import http.client
import subprocess
import sys
import time

import pytest

from coordination.areas.accounts.lookups import actor_for, sign_in
from coordination.areas.sign_ups.commands import SignUp
from coordination.permissions import SYSTEM
from tests.conftest import started
from tests.helpers import PASSWORD, mobile
from tests.integration.scenarios import make_shift, register
from tests.processes import environment, server
from web.cli import serve_command
from web.platform.heap import YOUNG_GENERATION
from web.platform.settings import Settings


def run(settings: Settings, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        input=stdin,
        text=True,
        capture_output=True,
        env=environment(settings),
        timeout=60,
    )


def test_create_user_makes_a_national_admin(sqlite_settings: Settings) -> None:
    phone = mobile()
    done = run(
        sqlite_settings,
        "create-user",
        "--phone",
        phone,
        "--name",
        "First Admin",
        "--role",
        "national_admin",
        stdin=PASSWORD + "\n",
    )
    assert done.returncode == 0, done.stderr
    weak = run(
        sqlite_settings,
        "create-user",
        "--phone",
        mobile(),
        "--name",
        "Second",
        "--role",
        "national_admin",
        stdin="password\n",
    )
    assert weak.returncode == 1 and "password" in weak.stderr
    for services in started(sqlite_settings):
        actor = actor_for(services.app, sign_in(services.app, phone, PASSWORD))
        assert actor is not None and actor.is_admin


def test_rebuild_replays_a_view_and_refuses_unknown_ones(sqlite_settings: Settings) -> None:
    for services in started(sqlite_settings):
        shift = make_shift(services, capacity=2)
        services.dispatcher.run(SignUp(shift, register(services), "k"), SYSTEM)
    done = run(sqlite_settings, "rebuild", "shift_board")
    assert done.returncode == 0, done.stderr
    for services in started(sqlite_settings):
        assert services.db.query("SELECT taken FROM shift_board") == [{"taken": 1}]
        with services.db.transaction() as cursor:
            cursor.execute("UPDATE shift_board SET taken = 99")
    everything = run(sqlite_settings, "rebuild", "all")
    assert everything.returncode == 0, everything.stderr
    for services in started(sqlite_settings):
        assert services.db.query("SELECT taken FROM shift_board") == [{"taken": 1}]
    unknown = run(sqlite_settings, "rebuild", "no_such_view")
    assert unknown.returncode == 2 and "shift_board" in unknown.stderr


def test_a_served_connection_stays_open_for_a_client_idle_a_while(
    sqlite_settings: Settings,
) -> None:
    """A client (or proxy) reusing a connection idle for seconds finds it open, not closed
    under its request."""
    with server(sqlite_settings) as url:
        host, port = url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            for pause in (0, 6):  # 6: past uvicorn's own default of 5 seconds
                time.sleep(pause)
                connection.request("GET", "/api/v1/governorates")
                answer = connection.getresponse()
                assert answer.status == 200 and answer.read()
            assert connection.sock is not None, "the same connection served both"
        finally:
            connection.close()


def test_a_worker_serves_with_its_start_up_heap_out_of_the_collectors_sight(
    sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Full collections over the app's own objects held a worker for a tenth of a second in a
    rush: by the time it serves, they are frozen and young objects are collected less often."""
    import uvicorn
    from litestar.concurrency import get_asyncio_executor, set_asyncio_executor

    for name, value in environment(sqlite_settings).items():
        monkeypatch.setenv(name, value)
    seen: dict[str, object] = {}

    def serving(app: object, **_: object) -> None:
        seen.update(frozen=gc.get_freeze_count(), threshold=gc.get_threshold())

    monkeypatch.setattr(uvicorn, "run", serving)
    threshold, executor = gc.get_threshold(), get_asyncio_executor()
    try:
        assert serve_command(argparse.Namespace(host="127.0.0.1", port=0)) == 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        set_asyncio_executor(executor)
    assert seen["frozen"] > 10_000 and gc.get_freeze_count() == 0
    assert seen["threshold"][0] == YOUNG_GENERATION > threshold[0]
