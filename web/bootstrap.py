"""Builds the application, read models, projection runner and channels from settings."""

from __future__ import annotations

import os
from typing import Any

from coordination.application import build_dispatcher
from coordination.dispatch import Store
from coordination.dispatch.advisory_locks import AdvisoryLocks
from coordination.dispatch.keys import recorded_in_the_log
from coordination.ticket_policy import deadlines_from
from migrations.apply import EVENT_STORE, KEYS_FROM_LOG, migrate
from projections.associations import Associations
from projections.attendance_board import AttendanceBoard
from projections.campaign_admin import CampaignAdmin
from projections.channels import channels_for
from projections.database import open_database
from projections.device_tokens import DeviceTokens
from projections.distribution import Distribution
from projections.exchange_ledger import ExchangeLedger
from projections.inbox import Inbox
from projections.kitchen_dashboard import KitchenDashboard
from projections.my_shifts import MyShifts
from projections.outbox import Outbox
from projections.packing_board import PackingBoard
from projections.personal import Sealer
from projections.runner import ProjectionRunner
from projections.shift_board import ShiftBoard
from projections.ticket_queue import TicketQueue
from projections.training import Training
from projections.volunteer_directory import VolunteerDirectory
from projections.waitlists import Waitlists
from web.jobs import job_kinds
from web.platform.observability import BATCH_SIZES, BATCHES_ONE_BY_ONE
from web.platform.ratelimit import limiter_for
from web.platform.services import Services
from web.platform.sessions import account_changes_for
from web.platform.settings import Settings, derived_key


def all_projections(sealer: Sealer) -> list[Any]:
    return [
        ShiftBoard(),
        MyShifts(),
        Training(),
        VolunteerDirectory(sealer),
        Associations(),
        DeviceTokens(),
        KitchenDashboard(),
        TicketQueue(sealer),
        PackingBoard(),
        AttendanceBoard(),
        Distribution(),
        ExchangeLedger(),
        CampaignAdmin(sealer),
        Waitlists(),
        Inbox(),
        Outbox(sealer),
    ]


# libpq's options for every PostgreSQL session this process opens (``PGOPTIONS``)
SESSION_OPTIONS = "-c jit=off"


def sessions_without_jit() -> None:
    """Every PostgreSQL session opened from here on (the event store's, the views', the
    locks') starts without the JIT compiler. Each statement Katf sends reads or writes a few
    rows through an index, in well under a millisecond; the server compiles a plan whose
    estimated cost is high, and without statistics (a table grown faster than autovacuum
    analyzes it, or autovacuum off) a read of one household's events out of five million is
    estimated at a hundred thousand rows: compiling it took 20-90 ms. The event log's table is
    never scanned in parallel either (``migrations/0030_event_log_read_by_index.sql``)."""
    options = os.environ.get("PGOPTIONS", "")
    if SESSION_OPTIONS not in options:
        os.environ["PGOPTIONS"] = f"{options} {SESSION_OPTIONS}".strip()


def bootstrap(settings: Settings) -> Services:
    if settings.is_postgres:
        sessions_without_jit()
    dispatcher = build_dispatcher(
        settings.eventsourcing_env(),
        secret_key=settings.secret_key,
        fast_password_hashing=settings.fast_password_hashing,
        password_profile=settings.password_profile,
        batch_commands=settings.batch_commands,
    )
    app = dispatcher.store
    app.deadlines = deadlines_from(settings.ticket_deadlines)
    locks = None
    if dispatcher.batcher is not None and settings.is_postgres:
        locks = AdvisoryLocks(settings.database_url)
        dispatcher.batcher.serialize = locks
        dispatcher.batcher.keys_in_flight = locks.keys_in_flight
    if dispatcher.batcher is not None:
        dispatcher.batcher.observe = BATCH_SIZES.observe
        dispatcher.batcher.fell_back = BATCHES_ONE_BY_ONE.inc
    db = open_database(settings.database_url, pool_size=settings.db_pool_size)
    sealer = Sealer(derived_key(settings.secret_key, "read-models"))
    channels = channels_for(settings.redis_url)
    runner = ProjectionRunner(app, db, all_projections(sealer), publish=channels.publish)
    return Services(
        settings=settings,
        dispatcher=dispatcher,
        app=app,
        db=db,
        runner=runner,
        sealer=sealer,
        limiter=limiter_for(settings.redis_url),
        channels=channels,
        jobs=job_kinds(db, dispatcher, settings.job_pause_seconds),
        locks=locks,
        # SQLite is the embedded default: one process, which hears every change it makes
        account_changes=account_changes_for(
            app, settings.redis_url, single_process=not settings.is_postgres
        ),
    )


def event_store_statements(app: Store, dialect: str) -> list[Any]:
    """The library's own DDL for its tables, applied by migrations rather than at start-up."""
    recorder: Any = app.recorder
    if dialect == "postgres":
        return list(recorder.sql_create_statements)
    return list(recorder.construct_create_table_statements())


KEYS_A_STATEMENT = 400  # rows of an INSERT: two values each, well under SQLite's limit


def keys_from_log(app: Store, dialect: str) -> list[Any]:
    """The key records earlier releases kept in the log, copied into the key table."""
    rows = [(str(record.id), record.fingerprint) for record in recorded_in_the_log(app)]
    statements = []
    for start in range(0, len(rows), KEYS_A_STATEMENT):
        chunk = rows[start : start + KEYS_A_STATEMENT]
        values = ", ".join(["(%s, %s)"] * len(chunk))
        statements.append(
            (
                f"INSERT INTO idempotency_keys (id, fingerprint) VALUES {values}"
                " ON CONFLICT (id) DO NOTHING",
                [value for row in chunk for value in row],
            )
        )
    return statements


def migrate_database(settings: Settings) -> list[str]:
    app = Store(settings.eventsourcing_env(), secret_key=settings.secret_key)
    try:
        return migrate(
            settings.database_url,
            {
                EVENT_STORE: lambda d: event_store_statements(app, d),
                KEYS_FROM_LOG: lambda d: keys_from_log(app, d),
            },
        )
    finally:
        app.close()
