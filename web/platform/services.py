"""What a running katf holds: the dispatcher and its store, the read models, the projection
runner and its threads, the rate limiter and the change channels."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from coordination.dispatch import Dispatcher, Store
from coordination.dispatch.advisory_locks import AdvisoryLocks
from projections.channels import Channels
from projections.database import Database
from projections.personal import Sealer
from projections.runner import ProjectionRunner
from web.platform.ratelimit import Limiter
from web.platform.sessions import AccountChanges
from web.platform.settings import Settings
from workers.jobs import Job, run_worker


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
    _delivery: threading.Thread | None = None
    jobs: Mapping[str, Job] = field(default_factory=dict)  # what each kind of job does
    locks: AdvisoryLocks | None = None  # the batcher's turns across processes (PostgreSQL)
    # accounts changed, heard from every process: whether a session's copy of who it is holds
    account_changes: AccountChanges = field(
        default_factory=lambda: AccountChanges(None, 1, single_process=False)
    )
    _jobs_wake: threading.Event = field(default_factory=threading.Event)
    _jobs_thread: threading.Thread | None = None

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
        self.start_delivery()
        self.start_jobs()

    def start_escalator(self) -> None:
        from workers.rounds import run_escalator

        self._escalator = threading.Thread(
            target=run_escalator, args=(self, self._stop), name="escalator", daemon=True
        )
        self._escalator.start()

    def start_delivery(self) -> None:
        """Sends the outbox's messages from this process (the embedded default and
        ``katf project``; ``katf deliver`` runs the same worker alone)."""
        from web.delivery import deliverer_for
        from workers.delivery import run_delivery

        if self._delivery is not None:
            return
        self._delivery = threading.Thread(
            target=run_delivery,
            args=(deliverer_for(self), self._stop),
            name="delivery",
            daemon=True,
        )
        self._delivery.start()

    def start_jobs(self) -> None:
        """Works on the job queue in this process (the embedded default: imports need no
        other process); ``katf serve``, ``katf project`` and ``katf jobs`` run the same
        worker. Once per process: ``katf serve`` on the embedded default asks twice."""
        if self._jobs_thread is not None:
            return
        self._jobs_thread = threading.Thread(
            target=run_worker,
            args=(self.db, self.jobs, self._stop, self._jobs_wake),
            kwargs={"seconds": self.settings.job_lease_seconds},
            name="jobs",
            daemon=True,
        )
        self._jobs_thread.start()

    def wake_jobs(self) -> None:
        """A job was queued: this process's worker, if it has one, looks at once."""
        self._jobs_wake.set()

    def stop_projections(self) -> None:
        self._stop.set()
        self._wake.set()
        self._jobs_wake.set()
        for thread in (self._thread, self._escalator, self._jobs_thread):
            if thread is not None:
                thread.join(timeout=5)
        self._thread = self._escalator = self._jobs_thread = None
        if self._delivery is not None:
            self._delivery.join(timeout=5)
            self._delivery = None
        if self._wake.set in self.app.listeners:
            self.app.listeners.remove(self._wake.set)
        self._stop.clear()

    def close(self) -> None:
        self.stop_projections()
        self.db.close()
        self.dispatcher.close()
        if self.locks is not None:
            self.locks.close()
