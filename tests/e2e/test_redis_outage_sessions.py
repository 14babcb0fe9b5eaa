"""Redis stopped and started twice while signed-in volunteers sign up through two web
processes, each volunteer's requests going to the process that did not sign them in: nobody
is refused for want of a session (no 403), sign-outs stay effective, the views stay exact."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from coordination.areas.accounts.commands import RegisterVolunteer
from projections.shift_board import get_shift
from tests.conftest import started
from tests.helpers import PASSWORD, mobile, national_id
from tests.integration.scenarios import make_shift
from tests.processes import PrivateRedis, katf, server, signed_in_client, stop, wait_for
from web.bootstrap import Services
from web.platform.settings import Settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

VOLUNTEERS = 60
CAPACITY = 40
WAVES = 5  # Redis up, down, up, down, up


async def signed_out(base: str, phone: str) -> str:
    """Signs in and out on one process; the ended session's cookie, as a thief would keep it."""
    client = await signed_in_client(base, phone, PASSWORD)
    try:
        copied = client.cookies["katf_session"]
        ended = await client.delete("/api/v1/session")
        assert ended.status_code == 200, ended.text
        return copied
    finally:
        await client.aclose()


async def refused(base: str, cookie: str, seconds: float) -> bool:
    """True once ``base`` takes the cookie for nobody (within ``seconds``)."""
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=10) as thief:
        while True:
            thief.cookies.set("katf_session", cookie)
            if (await thief.get("/my-shifts", follow_redirects=False)).status_code == 401:
                return True
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)


async def stream(
    bases: list[str], phones: list[str], shift: str, redis: PrivateRedis, spare: list[str]
) -> tuple[list[list[httpx.Response]], dict[str, bool]]:
    """Each volunteer signs in on one process and signs up on the other, in five waves:
    Redis up, down, up, down, up. Someone signs out in each wave."""
    clients = [
        await signed_in_client(bases[i % 2], phone, PASSWORD) for i, phone in enumerate(phones)
    ]
    me = [
        (await client.get(f"{bases[(i + 1) % 2]}/api/v1/session")).json()["volunteer_id"]
        for i, client in enumerate(clients)
    ]
    waves: list[list[httpx.Response]] = []
    seen: dict[str, bool] = {}
    per_wave = len(clients) // WAVES
    copied = ""
    try:
        for wave in range(WAVES):
            if wave in (1, 3):
                redis.stop()
            elif wave in (2, 4):
                redis.start()
                seen[f"back_{wave}_ended_everywhere"] = await refused(bases[1], copied, 2)
            copied = await signed_out(bases[0], spare[wave])
            seen[f"wave_{wave}_ended_where_signed_out"] = await refused(bases[0], copied, 0)
            if wave in (0, 2, 4):
                seen[f"wave_{wave}_ended_everywhere"] = await refused(bases[1], copied, 2)
            batch = range(wave * per_wave, (wave + 1) * per_wave)
            waves.append(
                await asyncio.gather(
                    *(
                        clients[i].post(
                            f"{bases[(i + 1) % 2]}/api/v1/shifts/{shift}/sign-ups",
                            json={"volunteer_id": me[i]},
                            headers={"Idempotency-Key": f"outage-{i}"},
                        )
                        for i in batch
                    )
                )
            )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return waves, seen


@pytest.fixture
def services(pg_settings: Settings, private_redis: PrivateRedis) -> Iterator[Services]:
    yield from started(replace(pg_settings, redis_url=private_redis.url))


def test_a_redis_outage_refuses_nobody_for_want_of_a_session(
    services: Services, private_redis: PrivateRedis
) -> None:
    settings = services.settings
    phones = [mobile() for _ in range(VOLUNTEERS + WAVES)]
    shift = str(make_shift(services, capacity=CAPACITY))
    for i, phone in enumerate(phones):
        services.dispatcher.run(
            RegisterVolunteer(f"Volunteer {i}", phone, national_id(), "01", PASSWORD)
        )
    worker = katf(settings, "project")
    try:
        with server(settings) as first, server(settings) as second:
            waves, seen = asyncio.run(
                stream([first, second], phones[:VOLUNTEERS], shift, private_redis, phones[-WAVES:])
            )
    finally:
        stop(worker)
    answers = [answer for wave in waves for answer in wave]
    statuses = Counter(answer.status_code for answer in answers)
    refusals = Counter(
        answer.json()["error"]["code"] for answer in answers if answer.status_code >= 400
    )
    assert 403 not in statuses, refusals
    assert set(statuses) <= {201, 409, 503}, (statuses, refusals)
    assert set(refusals) <= {"shift_full", "unavailable"}, refusals
    assert all("retry-after" in a.headers for a in answers if a.status_code == 503)
    back = [waves[0], waves[2], waves[4]]
    assert not [a for wave in back for a in wave if a.status_code == 503], "Redis is up"
    assert statuses[201] == min(CAPACITY, VOLUNTEERS - statuses[503]), statuses
    assert seen == dict.fromkeys(seen, True), seen
    assert len(seen) == 10
    worker = katf(settings, "project")
    try:
        wait_for(lambda: (get_shift(services.db, shift) or {}).get("taken") == statuses[201])
    finally:
        stop(worker)
