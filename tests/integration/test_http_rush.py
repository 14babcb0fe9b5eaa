"""Sign-up rushes over HTTP against PostgreSQL: two web processes and a projection worker."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.accounts.lookups import account, account_id_for
from projections.shift_board import get_shift
from tests.conftest import started
from tests.helpers import PASSWORD, mobile, national_id
from tests.integration.scenarios import make_shift
from tests.processes import katf, server, signed_in_client, stop, wait_for
from web.bootstrap import Services
from web.platform.settings import Settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


async def rush(bases: list[str], phones: list[str], shift: object) -> list[httpx.Response]:
    """Every volunteer signs in first; then all the sign-ups leave at once."""
    clients = await asyncio.gather(
        *(
            signed_in_client(bases[i % len(bases)], phone, PASSWORD)
            for i, phone in enumerate(phones)
        )
    )
    try:
        sessions = await asyncio.gather(*(client.get("/api/v1/session") for client in clients))
        return await asyncio.gather(
            *(
                client.post(
                    f"/api/v1/shifts/{shift}/sign-ups",
                    json={"volunteer_id": session.json()["volunteer_id"]},
                    headers={"Idempotency-Key": f"rush-{i}"},
                )
                for i, (client, session) in enumerate(zip(clients, sessions, strict=True))
            )
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


def register(services: Services, count: int) -> list[str]:
    phones = [mobile() for _ in range(count)]
    for i, phone in enumerate(phones):
        services.dispatcher.run(
            RegisterVolunteer(f"Volunteer {i}", phone, national_id(), "01", PASSWORD)
        )
    return phones


def test_two_hundred_volunteers_rush_a_shift_of_twenty(
    pg_settings: Settings, services: Services
) -> None:
    shift = make_shift(services, capacity=20)
    phones = register(services, 200)
    worker = katf(pg_settings, "project")
    try:
        with server(pg_settings) as first, server(pg_settings) as second:
            answers = asyncio.run(rush([first, second], phones, shift))
        statuses = Counter(r.status_code for r in answers)
        codes = Counter(
            r.json().get("error", {}).get("code") for r in answers if r.status_code == 409
        )
        assert statuses == {201: 20, 409: 180}
        assert codes == {"shift_full": 180}
        assert all(r.json()["error"]["message"] for r in answers if r.status_code == 409)
        wait_for(lambda: (get_shift(services.db, str(shift)) or {}).get("taken") == 20)
    finally:
        stop(worker)


def test_one_volunteer_fires_twenty_parallel_sign_ups_at_overlapping_shifts(
    pg_settings: Settings, services: Services
) -> None:
    first_shift = make_shift(services, capacity=5, hour=8)
    second_shift = make_shift(services, capacity=5, hour=9)
    [phone] = register(services, 1)

    async def fire(base: str) -> list[httpx.Response]:
        client = await signed_in_client(base, phone, PASSWORD)
        me = (await client.get("/api/v1/session")).json()["volunteer_id"]
        try:
            return await asyncio.gather(
                *(
                    client.post(
                        f"/api/v1/shifts/{(first_shift, second_shift)[i % 2]}/sign-ups",
                        json={"volunteer_id": me},
                        headers={"Idempotency-Key": f"p-{i}"},
                    )
                    for i in range(20)
                )
            )
        finally:
            await client.aclose()

    with server(pg_settings) as url:
        answers = asyncio.run(fire(url))
    assert not [r for r in answers if r.status_code >= 500]
    assert sum(r.status_code == 201 for r in answers) == 1
    volunteer = account(services.app, account_id_for(services.app, phone)).volunteer_id
    assert len(services.app.repository.get(volunteer).shifts) == 1
