"""An idle live stream keeps its connection, not the request it was opened by: served as
``katf serve`` serves it (uvicorn, ``web.app.served``), in this process so its objects can be
counted."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from litestar.utils.scope.state import ScopeState

from coordination.areas.accounts.commands import CreateUser
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.helpers import PASSWORD, mobile
from tests.processes import free_port
from web.app import create_app, served
from web.bootstrap import Services
from web.platform.settings import Settings

STREAMS = 40


def alive(kind: type) -> int:
    gc.collect()
    return sum(isinstance(thing, kind) for thing in gc.get_objects())


async def idle_streams(base: str, phone: str) -> tuple[int, list[str]]:
    """The framework's request states alive while ``STREAMS`` streams are open, and the
    first event each stream read."""
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        await client.get("/sign-in")
        csrf = {"X-CSRF-Token": client.cookies.get("katf_csrf", "")}
        answer = await client.post(
            "/api/v1/session", json={"phone": phone, "password": PASSWORD}, headers=csrf
        )
        assert answer.status_code == 200, answer.text
        opened = [
            await client.send(client.build_request("GET", "/live/?key=board:1"), stream=True)
            for _ in range(STREAMS)
        ]
        try:
            assert [s.status_code for s in opened] == [200] * STREAMS
            lines = [s.aiter_lines() for s in opened]
            first = [await anext(line) for line in lines]
            return alive(ScopeState), first
        finally:
            for stream in opened:
                await stream.aclose()


async def watched(app: Any, phone: str) -> tuple[int, list[str]]:
    """``idle_streams`` against the app served by uvicorn as ``katf serve`` serves it."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(served(app), port=port, log_level="warning"))
    serving = asyncio.get_running_loop().create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        return await idle_streams(f"http://127.0.0.1:{port}", phone)
    finally:
        server.should_exit = True
        await serving


@pytest.fixture
def services(sqlite_settings: Settings) -> Iterator[Services]:
    yield from started(sqlite_settings)


def test_idle_streams_keep_no_request_state_of_the_framework(services: Services) -> None:
    phone = mobile()
    services.dispatcher.run(
        CreateUser(phone, "Board Watcher", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM
    )
    states, first = asyncio.run(watched(create_app(services), phone))
    assert first == ["event: ready"] * STREAMS  # every stream followed
    assert states < STREAMS // 4  # one per stream while each kept its request's
