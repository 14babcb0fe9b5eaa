"""What the delivery worker's rounds cost PostgreSQL: claims read the outbox by its indexes
however it grew while the worker ran (a statement prepared while the outbox was small keeps
the plan it was given then, and a plan that read a small outbox whole reads a large one whole
at every claim), and a claim rewrites a message beside itself, without new index entries."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from coordination.calendar import utc_text
from tests.conftest import started
from web.bootstrap import Services
from web.platform.outbox_texts import render
from web.platform.settings import Settings
from workers.delivery import Deliverer
from workers.gateways import LogGateway

pytestmark = pytest.mark.postgres
STATISTICS_DELAY = 1.1  # a server process reports its reads at most once a second


@pytest.fixture
def services(pg_settings: Settings) -> Iterator[Services]:
    yield from started(pg_settings)


def write(services: Services, first: int, count: int, now: datetime, status: str) -> None:
    sealer = services.sealer
    with services.db.transaction() as cursor:
        cursor.executemany(
            "INSERT INTO outbox_messages (message_key, recipient_id, channel, kind, destination,"
            " params, locale, urgent, created_at, due_at, expires_at, status, sent_at)"
            " VALUES (%s, %s, 'sms', 'signed_up', %s, %s, 'ar', 0, %s, %s, %s, %s, %s)",
            [
                (
                    f"message-{n}:sms",
                    f"volunteer-{n}",
                    sealer.seal(f"0100{n:07d}"),
                    sealer.seal('{"day": "05/12", "time": "09:00"}'),
                    utc_text(now),
                    utc_text(now),
                    utc_text(now + timedelta(hours=24)),
                    status,
                    utc_text(now) if status == "sent" else None,
                )
                for n in range(first, first + count)
            ],
        )


def table_statistics(services: Services, url: str) -> dict[str, int]:
    """The outbox's counters with everything the worker's server process did counted: a
    process reports its counts at the end of a transaction, at most once a second, so the
    worker's pool (one connection, used in turn) runs one more after a second's wait."""
    time.sleep(STATISTICS_DELAY)
    services.db.query("SELECT 1")
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT seq_scan, idx_tup_fetch, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
            " WHERE relname = 'outbox_messages'"
        ).fetchone()
    assert row is not None
    return {"whole_reads": row[0], "fetched": row[1], "updates": row[2], "in_place": row[3]}


def worker(services: Services) -> Deliverer:
    deliverer = Deliverer(
        services.db,
        services.sealer,
        {"sms": LogGateway("sms"), "email": LogGateway("email")},
        render,
        None,
    )
    deliverer.remind = lambda now: 0  # type: ignore[method-assign]
    return deliverer


def test_claims_read_the_outbox_by_index_after_it_grew(
    services: Services, pg_settings: Settings
) -> None:
    deliverer = worker(services)
    now = datetime.now(UTC)
    # the worker's first rounds, on a small outbox: a hundred new recipients a round
    for n in range(15):
        write(services, n * 100, 100, now, "pending")
        assert deliverer.round(now)["sent"] == 100
    # the outbox grows (a rush's confirmations, sent by other workers)
    write(services, 10_000, 20_000, now, "sent")
    write(services, 50_000, 100, now, "pending")
    before = table_statistics(services, pg_settings.database_url)["whole_reads"]
    assert deliverer.round(now)["sent"] == 100
    assert table_statistics(services, pg_settings.database_url)["whole_reads"] == before


def test_a_claim_among_many_due_reads_about_its_batch(
    services: Services, pg_settings: Settings
) -> None:
    """Five thousand messages due at once (an outbox without the server's statistics): a
    claim of a hundred reads them by the index in due order and stops at the hundredth,
    rather than reading every due message to sort them."""
    write(services, 0, 5_000, datetime.now(UTC) - timedelta(minutes=1), "pending")
    before = table_statistics(services, pg_settings.database_url)
    claimed, _ = worker(services).claim(datetime.now(UTC), limit=100)
    assert len(claimed) == 100
    after = table_statistics(services, pg_settings.database_url)
    assert after["whole_reads"] == before["whole_reads"]
    assert after["fetched"] - before["fetched"] < 1_000


def test_a_claim_of_urgent_messages_alone_reads_only_those(
    services: Services, pg_settings: Settings
) -> None:
    """Five thousand messages waiting, none urgent (the quiet hours, or a burst of sign-ups
    the worker gives way to): a claim of the urgent ones reads none of the others."""
    write(services, 0, 5_000, datetime.now(UTC) - timedelta(minutes=1), "pending")
    deliverer = worker(services)
    deliverer.urgent_only = lambda now: True  # type: ignore[method-assign]
    before = table_statistics(services, pg_settings.database_url)
    assert deliverer.claim(datetime.now(UTC), limit=100) == ([], 0)
    after = table_statistics(services, pg_settings.database_url)
    assert after["whole_reads"] == before["whole_reads"]
    assert after["fetched"] - before["fetched"] < 100


def test_a_claim_rewrites_each_message_in_place(services: Services, pg_settings: Settings) -> None:
    """The claim's lease and attempt are in no index and the outbox's pages keep room: most
    claims are rewritten beside the message (the sending's record, which takes it out of
    the waiting messages' index, cannot be)."""
    write(services, 0, 1_000, datetime.now(UTC), "pending")
    before = table_statistics(services, pg_settings.database_url)
    claimed, _ = worker(services).claim(datetime.now(UTC), limit=1_000)
    assert len(claimed) == 1_000
    after = table_statistics(services, pg_settings.database_url)
    assert after["updates"] - before["updates"] == 1_000
    assert after["in_place"] - before["in_place"] >= 900
