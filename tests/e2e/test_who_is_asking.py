"""Who is asking comes from the session's copy, without reading the store, until the account
changes anywhere: a grant or a revocation made by another process counts within a moment."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient

from coordination.account import Account
from coordination.areas.accounts.commands import GrantRole, RevokeRole
from coordination.dispatch.store import ACTOR_MEMORY_SECONDS
from coordination.permissions import SYSTEM, Role
from tests.conftest import started
from tests.e2e.clients import new_volunteer, sign_in
from web.app import create_app
from web.bootstrap import Services
from web.platform.settings import Settings

ROLE = Role.OPERATIONS_AGENT.value


class AccountReads:
    """Counts the store's reads of accounts (the look-up of who is asking)."""

    def __init__(self, services: Services) -> None:
        self.count, store, find = 0, services.app, services.app.find

        def counted(aggregate_id: UUID, kind: type[Any]) -> Any:
            if kind is Account:
                self.count += 1
            return find(aggregate_id, kind)

        store.find = counted  # type: ignore[method-assign]


def roles(client: TestClient) -> list[str]:
    answer = client.get("/api/v1/session")
    assert answer.status_code == 200
    return list(answer.json()["roles"])


def forget_the_moment(services: Services, account_id: str) -> None:
    services.app.actors.forget(UUID(account_id))  # what the process remembers for two seconds


def test_a_signed_in_volunteer_is_known_from_the_session_without_reading_the_store(
    client: TestClient, services: Services
) -> None:
    volunteer = new_volunteer(client)
    account_id = sign_in(client, volunteer["phone"])["account_id"]
    reads = AccountReads(services)
    for _ in range(5):
        forget_the_moment(services, account_id)
        assert client.get("/api/v1/session").json()["volunteer_id"] == volunteer["id"]
    assert reads.count == 0


def test_a_grant_and_a_revocation_count_at_the_next_request(
    client: TestClient, services: Services
) -> None:
    volunteer = new_volunteer(client)
    account_id = UUID(sign_in(client, volunteer["phone"])["account_id"])
    before = roles(client)
    assert ROLE not in before
    services.dispatcher.run(GrantRole(account_id, ROLE), SYSTEM)
    forget_the_moment(services, str(account_id))
    assert roles(client) == sorted([*before, ROLE])
    services.dispatcher.run(RevokeRole(account_id, ROLE), SYSTEM)
    forget_the_moment(services, str(account_id))
    assert roles(client) == before


@pytest.fixture
def two_processes(
    pg_settings: Settings, redis_url: str
) -> Iterator[tuple[Services, TestClient, Services, TestClient]]:
    """Two web processes' services on one PostgreSQL and one Redis."""
    settings = replace(pg_settings, redis_url=redis_url)
    first, second = started(settings), started(settings)
    a, b = next(first), next(second)
    try:
        with TestClient(create_app(a)) as one, TestClient(create_app(b)) as two:
            yield a, one, b, two
    finally:
        for stack in (first, second):
            stack.close()


def wait_for(check: Any, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not seen in time"
        time.sleep(0.05)


def test_a_revocation_made_by_another_process_counts_within_a_moment(
    two_processes: tuple[Services, TestClient, Services, TestClient],
) -> None:
    a, one, b, two = two_processes
    volunteer = new_volunteer(one)
    account_id = UUID(sign_in(two, volunteer["phone"])["account_id"])
    wait_for(b.account_changes.heard_by_all)
    before = roles(two)
    granted = sorted([*before, ROLE])
    a.dispatcher.run(GrantRole(account_id, ROLE), SYSTEM)
    wait_for(lambda: (forget_the_moment(b, str(account_id)), roles(two))[1] == granted)
    # read again for two seconds after a change is heard (what memory held may predate it)
    time.sleep(ACTOR_MEMORY_SECONDS)
    assert roles(two) == granted
    reads = AccountReads(b)
    for _ in range(3):
        forget_the_moment(b, str(account_id))
        assert roles(two) == granted
    assert reads.count == 0  # known from the session again once read after the grant
    a.dispatcher.run(RevokeRole(account_id, ROLE), SYSTEM)
    wait_for(lambda: (forget_the_moment(b, str(account_id)), roles(two))[1] == before)


def test_a_process_that_cannot_hear_every_change_reads_the_store(
    pg_settings: Settings,
) -> None:
    """PostgreSQL without Redis: several processes may share the store and none would hear
    another's changes, so no session's copy is trusted."""
    stack = started(pg_settings)
    services = next(stack)
    try:
        with TestClient(create_app(services)) as client:
            volunteer = new_volunteer(client)
            account_id = sign_in(client, volunteer["phone"])["account_id"]
            reads = AccountReads(services)
            for _ in range(3):
                forget_the_moment(services, account_id)
                assert client.get("/api/v1/session").status_code == 200
            assert reads.count == 3
    finally:
        stack.close()
