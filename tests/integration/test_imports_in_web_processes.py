"""A list uploaded to a web process is imported by that process on PostgreSQL: no other worker
is needed (the launch day's lists were shared by one worker's single core before)."""

from __future__ import annotations

import asyncio
import time

import pytest

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.sites.commands import OpenSite
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server, signed_in_client
from web.platform.settings import Settings

pytestmark = pytest.mark.postgres
HOUSEHOLDS = 450  # three chunks


async def upload_and_follow(base: str, phone: str, point: str, rows: list[str]) -> dict:
    client = await signed_in_client(base, phone, PASSWORD)
    try:
        listed = "national_id,size\n" + "".join(f"{digits},4\n" for digits in rows)
        answer = await client.post(
            f"/points/{point}/import",
            files={"file": ("households.csv", listed.encode())},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        job = answer.headers["location"].rsplit("/", 1)[-1]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = (await client.get(f"/api/v1/imports/{job}")).json()
            if status["finished"]:
                return status
            await asyncio.sleep(0.1)
        raise AssertionError(f"the import never finished: {status}")
    finally:
        await client.aclose()


def test_a_web_process_alone_imports_the_list_uploaded_to_it(pg_settings: Settings) -> None:
    admin = mobile()
    for services in started(pg_settings):
        run = services.dispatcher.run
        point = run(OpenSite("giza-point", "distribution_point", "21", "نقطة", "Point"), SYSTEM)
        run(CreateUser(admin, "Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM)
        services.runner.catch_up()
    rows = [national_id() for _ in range(HOUSEHOLDS)]
    with server(pg_settings) as base:  # and no `katf project`, no `katf jobs`
        status = asyncio.run(upload_and_follow(base, admin, str(point), rows))
    assert status["state"] != "failed"
    assert (status["done"], status["counts"]["created"]) == (HOUSEHOLDS, HOUSEHOLDS)
