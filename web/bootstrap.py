"""Builds the application, read models, projection runner and channels from settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from coordination.application import build_dispatcher
from coordination.dispatch import Dispatcher, Store
from coordination.dispatch.advisory_locks import AdvisoryLocks
from coordination.ticket_policy import deadlines_from
from migrations.apply import migrate
from projections.associations import Associations
from projections.attendance_board import AttendanceBoard
from projections.campaign_admin import CampaignAdmin
from projections.channels import Channels, channels_for
from projections.database import Database, open_database
from projections.device_tokens import DeviceTokens
from projections.distribution import Distribution
from projections.exchange_ledger import ExchangeLedger
from projections.kitchen_dashboard import KitchenDashboard
from projections.my_shifts import MyShifts
from projections.packing_board import PackingBoard
from projections.personal import Sealer
from projections.runner import ProjectionRunner
from projections.shift_board import ShiftBoard
from projections.ticket_queue import TicketQueue
from projections.volunteer_directory import VolunteerDirectory
from web.platform.observability import BATCH_SIZES
from web.platform.ratelimit import Limiter, limiter_for
from web.platform.settings import Settings, derived_key


def all_projections(sealer: Sealer) -> list[Any]:
    return [
        ShiftBoard(),
        MyShifts(),
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
    ]


@dataclass
class Services:
    settings: Settings
    dispatcher: Dispatcher
    app: Store  # the dispatcher's store: what only reads it (who is asking, lookups)
    db: Database
    runner: ProjectionRunner
    sealer: Sealer
    limiter: Limiter
    channels: Channels
    _stop: threading.Event = field(default_factory=threading.Event)
    _wake: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _escalator: threading.Thread | None = None

    def start_projections(self) -> None:
        """Follows the log in this process (the embedded default, or when asked to)."""
        if self._thread is not None:
            return
        self.runner.ensure_tracking()
        self.app.listeners.append(self._wake.set)
        self._thread = threading.Thread(
            target=self.runner.run, args=(self._stop, self._wake), name="projections", daemon=True
        )
        self._thread.start()
        self.start_escalator()

    def start_escalator(self) -> None:
        from workers.rounds import run_escalator

        self._escalator = threading.Thread(
            target=run_escalator, args=(self, self._stop), name="escalator", daemon=True
        )
        self._escalator.start()

    def stop_projections(self) -> None:
        self._stop.set()
        self._wake.set()
        for thread in (self._thread, self._escalator):
            if thread is not None:
                thread.join(timeout=5)
        self._thread = self._escalator = None
        if self._wake.set in self.app.listeners:
            self.app.listeners.remove(self._wake.set)
        self._stop.clear()

    def close(self) -> None:
        self.stop_projections()
        self.db.close()
        self.dispatcher.close()


def bootstrap(settings: Settings) -> Services:
    dispatcher = build_dispatcher(
        settings.eventsourcing_env(),
        secret_key=settings.secret_key,
        fast_password_hashing=settings.fast_password_hashing,
        batch_commands=settings.batch_commands,
    )
    app = dispatcher.store
    app.deadlines = deadlines_from(settings.ticket_deadlines)
    if dispatcher.batcher is not None and settings.is_postgres:
        dispatcher.batcher.serialize = AdvisoryLocks(settings.database_url)
    if dispatcher.batcher is not None:
        dispatcher.batcher.observe = BATCH_SIZES.observe
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
    )


def event_store_statements(app: Store, dialect: str) -> list[Any]:
    """The library's own DDL for its tables, applied by migrations rather than at start-up."""
    recorder: Any = app.recorder
    if dialect == "postgres":
        return list(recorder.sql_create_statements)
    return list(recorder.construct_create_table_statements())


def migrate_database(settings: Settings) -> list[str]:
    app = Store(settings.eventsourcing_env(), secret_key=settings.secret_key)
    try:
        return migrate(settings.database_url, lambda d: event_store_statements(app, d))
    finally:
        app.close()
