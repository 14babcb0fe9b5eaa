"""Redis stops mid-stream: commands go on, live streams end (pages poll), then pushes resume."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import httpx
import pytest

from coordination.areas.accounts.commands import CreateUser
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.helpers import PASSWORD, mobile
from tests.integration.scenarios import make_shift, register
from tests.processes import PrivateRedis, server, signed_in_client
from web.platform.settings import Settings

pytestmark = pytest.mark.redis


async def next_event(lines: object, name: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = await asyncio.wait_for(anext(lines), deadline - time.monotonic())  # type: ignore[call-overload]
        except (StopAsyncIteration, httpx.HTTPError):
            return False
        if line == f"event: {name}":
            return True
    return False


async def closes(lines: object, seconds: float) -> bool:
    """True when the server ends the stream within the time, False when it stays open."""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            await asyncio.wait_for(anext(lines), deadline - time.monotonic())  # type: ignore[call-overload]
    except (StopAsyncIteration, httpx.HTTPError):
        return True
    except TimeoutError:
        return False
    return False


async def outage(
    base: str, phones: dict[str, str], shift: str, volunteers: list[str], outside: PrivateRedis
) -> dict[str, object]:
    seen: dict[str, object] = {}
    admin = await signed_in_client(base, phones["admin"], PASSWORD)
    async with admin.stream("GET", "/live/", params={"key": f"shift:{shift}"}) as stream:
        lines = stream.aiter_lines()
        seen["ready"] = await next_event(lines, "ready", 5)
        outside.stop()
        seen["stream_ended"] = await closes(lines, 10)
    await admin.aclose()
    during = await signed_in_client(base, phones["admin"], PASSWORD)
    answer = await during.post(
        f"/api/v1/shifts/{shift}/sign-ups", json={"volunteer_id": volunteers[0]}
    )
    seen["sign_up_during_outage"] = answer.status_code
    seen["board_during_outage"] = (await during.get("/api/v1/shifts")).status_code
    outside.start()
    await asyncio.sleep(0.5)
    async with during.stream("GET", "/live/", params={"key": f"shift:{shift}"}) as stream:
        lines = stream.aiter_lines()
        seen["ready_again"] = await next_event(lines, "ready", 5)
        await during.post(f"/api/v1/shifts/{shift}/sign-ups", json={"volunteer_id": volunteers[1]})
        seen["pushed_again"] = await next_event(lines, "changed", 5)
    await during.aclose()
    return seen


def test_commands_go_on_and_pushes_resume_when_redis_returns(
    sqlite_settings: Settings, private_redis: PrivateRedis
) -> None:
    settings = replace(sqlite_settings, redis_url=private_redis.url)
    for services in started(settings):
        shift = make_shift(services, capacity=10)
        volunteers = [str(register(services)) for _ in range(2)]
        phones = {"admin": mobile()}
        services.dispatcher.run(
            CreateUser(phones["admin"], "Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM
        )
    with server(settings) as base:
        seen = asyncio.run(outage(base, phones, str(shift), volunteers, private_redis))
    assert seen == {
        "ready": True,
        "stream_ended": True,
        "sign_up_during_outage": 201,
        "board_during_outage": 200,
        "ready_again": True,
        "pushed_again": True,
    }
