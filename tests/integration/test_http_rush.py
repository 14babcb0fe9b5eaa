"""Sign-up rushes over HTTP against PostgreSQL: two web processes and a projection worker."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from projections.shift_board import get_shift
from tests.conftest import started
from tests.helpers import mobile, national_id
from tests.integration.scenarios import make_shift
from tests.processes import katf, server, stop, wait_for
from web.bootstrap import Services
from web.settings import Settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


async def post_all(requests: list[tuple[str, dict, dict]]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=300, max_keepalive_connections=300)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        return await asyncio.gather(
            *(client.post(url, json=body, headers=headers) for url, body, headers in requests)
        )


def test_two_hundred_volunteers_rush_a_shift_of_twenty(
    pg_settings: Settings, services: Services
) -> None:
    shift = make_shift(services, capacity=20)
    worker = katf(pg_settings, "project")
    try:
        with server(pg_settings) as first, server(pg_settings) as second:
            registrations = [
                (
                    f"{(first, second)[i % 2]}/api/v1/volunteers",
                    {
                        "full_name": f"Volunteer {i}",
                        "phone": mobile(),
                        "national_id": national_id(),
                        "governorate": "01",
                    },
                    {},
                )
                for i in range(200)
            ]
            registered = asyncio.run(post_all(registrations))
            assert [r.status_code for r in registered] == [201] * 200
            sign_ups = [
                (
                    f"{(first, second)[i % 2]}/api/v1/shifts/{shift}/sign-ups",
                    {"volunteer_id": r.json()["id"]},
                    {"Idempotency-Key": f"rush-{i}"},
                )
                for i, r in enumerate(registered)
            ]
            answers = asyncio.run(post_all(sign_ups))
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
    volunteer = services.app.register_volunteer("Sara Nabil", mobile(), national_id(), "01")
    with server(pg_settings) as url:
        requests = [
            (
                f"{url}/api/v1/shifts/{(first_shift, second_shift)[i % 2]}/sign-ups",
                {"volunteer_id": str(volunteer)},
                {"Idempotency-Key": f"parallel-{i}"},
            )
            for i in range(20)
        ]
        answers = asyncio.run(post_all(requests))
    assert not [r for r in answers if r.status_code >= 500]
    assert sum(r.status_code == 201 for r in answers) == 1
    volunteer_state = services.app.repository.get(volunteer)
    assert len(volunteer_state.shifts) == 1
