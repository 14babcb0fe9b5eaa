"""Withdrawals racing over two web processes against PostgreSQL while 300 volunteers wait on a
full shift of 50: every freed place goes to the next in line, once, and each is told once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from uuid import UUID

import httpx
import pytest

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sign_ups.commands import JoinWaitlist, SignUp
from coordination.permissions import Actor
from coordination.shift import Shift
from projections.inbox import told
from tests.conftest import started
from tests.helpers import PASSWORD, mobile, national_id
from tests.integration.scenarios import make_shift
from tests.processes import katf, server, signed_in_client, stop, wait_for
from web.bootstrap import Services
from web.platform.settings import Settings

pytestmark = pytest.mark.postgres
CAPACITY, WAITING = 50, 300


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


def registered(services: Services, count: int) -> list[tuple[UUID, str]]:
    people = []
    for i in range(count):
        phone = mobile()
        person = services.dispatcher.run(
            RegisterVolunteer(f"Volunteer {i}", phone, national_id(), "01", PASSWORD)
        )
        people.append((person, phone))
    return people


async def give_back(client: httpx.AsyncClient, shift: UUID, me: UUID, *, waits: bool) -> None:
    """Withdraws; one who waits for their promotion tries again until they hold the place."""
    while True:
        answer = await client.delete(f"/api/v1/shifts/{shift}/sign-ups/{me}")
        assert answer.status_code == 200, answer.text
        if answer.json()["outcome"] == "withdrawn" or not waits:
            return
        await asyncio.sleep(0.05)


async def withdrawals(
    bases: list[str], holders: list[tuple[UUID, str]], promoted: list[tuple[UUID, str]], shift: UUID
) -> None:
    everyone = holders + promoted
    clients = await asyncio.gather(
        *(signed_in_client(bases[i % 2], phone, PASSWORD) for i, (_, phone) in enumerate(everyone))
    )
    try:
        await asyncio.gather(
            *(
                give_back(client, shift, person, waits=i >= len(holders))
                for i, (client, (person, _)) in enumerate(zip(clients, everyone, strict=True))
            )
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


def test_a_hundred_withdrawals_promote_the_next_hundred_in_line_once_each(
    pg_settings: Settings, services: Services
) -> None:
    shift = make_shift(services, capacity=CAPACITY)
    holders = registered(services, CAPACITY)
    waiting = registered(services, WAITING)
    for person, _ in holders:
        services.dispatcher.run(SignUp(shift, person), Actor(volunteer_id=person))
    for person, _ in waiting:
        services.dispatcher.run(JoinWaitlist(shift, person), Actor(volunteer_id=person))
    # the 50 holders give their places back, and so do the first 50 promoted once they hold
    # theirs: a hundred withdrawals in all, racing over two processes
    worker = katf(pg_settings, "project")
    try:
        with server(pg_settings) as first, server(pg_settings) as second:
            asyncio.run(withdrawals([first, second], holders, waiting[:CAPACITY], shift))
        after = services.app.repository.get(shift)
        assert isinstance(after, Shift)
        in_line = [person for person, _ in waiting]
        assert set(after.volunteers) == set(in_line[CAPACITY : 2 * CAPACITY])
        assert after.waiting == in_line[2 * CAPACITY :]
        wait_for(lambda: len(told(services.db, "promoted")) == 2 * CAPACITY, seconds=60)
        promoted = Counter(row["recipient_id"] for row in told(services.db, "promoted"))
        assert promoted == Counter(str(person) for person in in_line[: 2 * CAPACITY])
    finally:
        stop(worker)
