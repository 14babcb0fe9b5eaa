"""What a running katf holds: the dispatcher and its store, the read models, the projection
runner and its threads, the rate limiter and the change channels."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from coordination.dispatch import Dispatcher, Store
from projections.channels import Channels
from projections.database import Database
from projections.personal import Sealer
from projections.runner import ProjectionRunner
from web.platform.ratelimit import Limiter
from web.platform.settings import Settings


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
