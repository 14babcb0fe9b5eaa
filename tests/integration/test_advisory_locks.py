"""Workers take turns on a contested shift: the second waits until the first lets go; the keys
of a batch are held until it is done, then let go of."""

from __future__ import annotations

import threading
import time
from uuid import UUID, uuid4

import psycopg
import pytest

from coordination.areas.distribution.commands import HandOff
from coordination.dispatch.advisory_locks import AdvisoryLocks, lock_key
from coordination.permissions import SYSTEM
from tests.conftest import server_url
from tests.integration.distribution_scenarios import distribution, household
from web.bootstrap import bootstrap
from web.platform.settings import Settings

pytestmark = pytest.mark.postgres


def test_a_second_worker_waits_for_the_first(pg_url: str) -> None:
    shift, order = uuid4(), []
    first_holds, second_started = threading.Event(), threading.Event()

    def first() -> None:
        with AdvisoryLocks(pg_url)({shift}):
            order.append("first in")
            first_holds.set()
            second_started.wait(5)
            time.sleep(0.2)  # room for the second to get in, were the lock not held
            order.append("first out")

    def second() -> None:
        first_holds.wait(5)
        locks = AdvisoryLocks(pg_url)
        second_started.set()
        with locks({shift}):
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "first out", "second in"]


def takeable(url: str, aggregate_id: UUID) -> bool:
    """Whether another session could take the lock now (it lets go of it at once)."""
    with psycopg.connect(url, autocommit=True) as other:
        key = lock_key(aggregate_id)
        row = other.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
        return bool(row and row[0])


def let_go(url: str, *ids: UUID) -> bool:
    """Whether each lock can be taken by another session within a few seconds."""
    deadline = time.monotonic() + 5
    while not all(takeable(url, i) for i in ids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_turns_and_keys_are_held_until_the_batch_is_done_then_let_go_of(pg_url: str) -> None:
    """Releases are sent without waiting for their answer: they still happen, in order."""
    locks, shift, key = AdvisoryLocks(pg_url), uuid4(), uuid4()
    with locks({shift}), locks.keys_in_flight({key}) as elsewhere:
        assert elsewhere() == set()
        assert not takeable(pg_url, shift) and not takeable(pg_url, key)
    with locks({shift}):  # taken again at once: after its release, which was sent first
        assert not takeable(pg_url, shift)
    assert let_go(pg_url, shift, key)


def test_a_key_another_session_holds_is_told_when_asked(pg_url: str) -> None:
    key, mine = uuid4(), uuid4()
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (lock_key(key),))
        with AdvisoryLocks(pg_url).keys_in_flight({key, mine}) as elsewhere:
            assert elsewhere() == {key}
        assert let_go(pg_url, mine)


def test_closed_they_leave_the_database_free(pg_settings: Settings) -> None:
    """A stopped process's services hold no connection: its database can be copied or dropped
    (a copy needs its template to have no session at all)."""
    services = bootstrap(pg_settings)
    world = distribution(services)
    _, family = household(services, world["a"])
    handed = HandOff(world["a"], world["round"], family, "food_box", 1, "k1")
    assert services.dispatcher.run(handed, SYSTEM).recorded  # batched: turns taken, key tried
    assert services.locks is not None and services.locks._connection is not None  # noqa: SLF001
    services.close()
    database = psycopg.conninfo.conninfo_to_dict(pg_settings.database_url)["dbname"]
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        deadline = time.monotonic() + 5  # a server process ends a moment after its client
        while sessions := admin.execute(
            "SELECT backend_type, state, query FROM pg_stat_activity WHERE datname = %s",
            (database,),
        ).fetchall():
            assert time.monotonic() < deadline, sessions
            time.sleep(0.05)
        admin.execute(f"CREATE DATABASE {database}_copy TEMPLATE {database}")
        admin.execute(f"DROP DATABASE {database}_copy")
