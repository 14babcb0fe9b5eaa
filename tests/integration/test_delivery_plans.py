"""The delivery worker's claims read the outbox by its indexes however it grew while the
worker ran: a statement prepared while the outbox was small keeps the plan it was given
then, and a plan that read a small outbox whole reads a large one whole at every claim."""

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
STATISTICS_DELAY = 1.2  # a server process reports its reads at most once a second


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


def whole_reads(url: str) -> int:
    time.sleep(STATISTICS_DELAY)
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'outbox_messages'"
        ).fetchone()
    return int(row[0]) if row else 0


def test_claims_read_the_outbox_by_index_after_it_grew(
    services: Services, pg_settings: Settings
) -> None:
    worker = Deliverer(
        services.db,
        services.sealer,
        {"sms": LogGateway("sms"), "email": LogGateway("email")},
        render,
        None,
    )
    now = datetime.now(UTC)
    worker.remind = lambda now: 0  # type: ignore[method-assign]
    # the worker's first rounds, on a small outbox: a hundred new recipients a round
    for n in range(15):
        write(services, n * 100, 100, now, "pending")
        assert worker.round(now)["sent"] == 100
    # the outbox grows (a rush's confirmations, sent by other workers)
    write(services, 10_000, 20_000, now, "sent")
    write(services, 50_000, 100, now, "pending")
    before = whole_reads(pg_settings.database_url)
    assert worker.round(now)["sent"] == 100
    assert whole_reads(pg_settings.database_url) == before
