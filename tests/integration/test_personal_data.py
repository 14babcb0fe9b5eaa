"""On PostgreSQL, through a real server: no national ID, name or phone in the store or logs."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from tests.conftest import started
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import free_port, katf, stop, wait_until_serving
from web.bootstrap import Services
from web.platform.settings import Settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


async def register_and_sign_in(base: str, person: dict[str, str]) -> list[int]:
    async with httpx.AsyncClient(base_url=base) as client:
        client.headers["X-CSRF-Token"] = (await client.get("/api/v1/session")).json()["csrf_token"]
        statuses = [(await client.post("/api/v1/volunteers", json=person)).status_code]
        statuses.append((await client.post("/api/v1/volunteers", json=person)).status_code)
        broken = {**person, "national_id": person["national_id"][:-1]}
        statuses.append((await client.post("/api/v1/volunteers", json=broken)).status_code)
        signed = await client.post(
            "/api/v1/session", json={"phone": person["phone"], "password": PASSWORD}
        )
        statuses.append(signed.status_code)
        client.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
        me = signed.json()["volunteer_id"]
        for _ in range(100):  # the directory view follows the log a moment later
            shown = await client.get(f"/api/v1/volunteers/{me}")
            if shown.status_code != 404:
                break
            await asyncio.sleep(0.05)
        statuses.append(shown.status_code)
        return statuses


def test_personal_data_stays_out_of_the_store_and_the_logs(
    pg_settings: Settings, services: Services
) -> None:
    person = {
        "full_name": "Yasmin Abdelrahman",
        "phone": mobile(),
        "national_id": national_id(),
        "governorate": "01",
        "password": PASSWORD,
    }
    port = free_port()
    process = katf(pg_settings, "serve", "--port", str(port), KATF_EMBEDDED_PROJECTIONS="1")
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", process)
        statuses = asyncio.run(register_and_sign_in(f"http://127.0.0.1:{port}", person))
    finally:
        stop(process)
    logs = process.stderr.read()
    assert statuses == [201, 409, 422, 200, 200]
    with psycopg.connect(pg_settings.database_url) as connection:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        ]
        dump = b"".join(
            str(row).encode() + b"".join(v for v in row if isinstance(v, bytes))
            for table in tables
            for row in connection.execute(f"SELECT * FROM {table}")
        )
    assert len(dump) > 1000
    for secret in (person["national_id"], person["phone"][1:], person["full_name"]):
        assert secret.encode() not in dump
        assert secret.encode() not in logs
