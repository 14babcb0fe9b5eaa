"""Background rounds: tickets past their deadlines escalate, ended shifts get their no-shows,
shifts under way give the places of those not come to those waiting.

Any number of workers may run them at once: the read model only proposes, each aggregate
decides for itself."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from coordination.areas.attendance.commands import MarkNoShows
from coordination.areas.shifts.commands import ReleaseNoShows
from coordination.areas.tickets.commands import EscalateIfOverdue
from coordination.dispatch import Dispatcher
from projections.database import Database
from projections.stadium import shifts_awaiting_no_shows
from projections.ticket_queue import overdue_candidates
from projections.waitlists import waited_for_under_way

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 30.0


class Services(Protocol):
    """What a round needs (web.bootstrap's Services has both): who decides, what proposes."""

    @property
    def dispatcher(self) -> Dispatcher: ...

    @property
    def db(self) -> Database: ...


def escalate_overdue(services: Services, now: datetime | None = None) -> int:
    """Escalations made; the read model only proposes, each ticket decides for itself."""
    made = 0
    for ticket_id in overdue_candidates(services.db, now or datetime.now(UTC)):
        made += len(services.dispatcher.run(EscalateIfOverdue(UUID(ticket_id))))
    return made


def mark_no_shows(services: Services, now: datetime | None = None) -> int:
    marked = 0
    for shift_id in shifts_awaiting_no_shows(services.db, now or datetime.now(UTC)):
        marked += services.dispatcher.run(MarkNoShows(UUID(shift_id)))
    return marked


def release_no_shows(services: Services, now: datetime | None = None) -> int:
    """Places of those not come, half an hour into a shift, given to those waiting for it."""
    released = 0
    for shift_id in waited_for_under_way(services.db, now or datetime.now(UTC)):
        released += services.dispatcher.run(ReleaseNoShows(UUID(shift_id)))
    return released


def run_escalator(
    services: Services, stop: threading.Event, interval: float = INTERVAL_SECONDS
) -> None:
    while not stop.wait(interval):
        try:
            escalate_overdue(services)
            mark_no_shows(services)
            release_no_shows(services)
        except Exception:
            log.exception("escalation round failed; trying again")
