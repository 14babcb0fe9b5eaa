"""A view as it was at a past moment: its handlers replayed from the log into a scratch database.

The replay takes the events recorded up to the moment and no further (the last notification
at or before it is found by halving the log), at most ``MAX_EVENTS`` of them, in log order,
into a private in-memory SQLite database made from the read models' migrations; the live view
is untouched."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from coordination.errors import InvalidInput
from projections.database import SQLiteDatabase, split_sql
from projections.projection import Projection

PAGE = 1000
MAX_EVENTS = 500_000  # what one request may replay


class TooMuchToReplay(InvalidInput):
    """More happened before the moment than one request may replay (HTTP 422)."""

    code = "too_much_to_replay"


def last_at_or_before(app: Any, moment: datetime) -> int:
    """The id of the last notification recorded at or before the moment (0: none), found by
    halving the log, whose order follows time closely enough: the replay stops there."""
    low, high = 0, app.recorder.max_notification_id() or 0
    while low < high:
        middle = (low + high + 1) // 2
        found = app.recorder.select_notifications(start=middle, limit=1)
        if (
            found
            and found[0].id <= high
            and app.mapper.to_domain_event(found[0]).timestamp <= moment
        ):
            low = found[0].id
        else:
            high = middle - 1
    return low


def replay_until(
    app: Any,
    projections: Sequence[Projection],
    migrations: Sequence[Path],
    moment: datetime,
    max_events: int = MAX_EVENTS,
) -> SQLiteDatabase:
    """``migrations``: the read models' migration files in order (the later ones add columns
    the views' handlers write)."""
    db = SQLiteDatabase(":memory:")
    with db.transaction() as cursor:
        for migration in migrations:
            for statement in split_sql(migration.read_text(), "sqlite"):
                cursor.execute(statement)
    topics = tuple(topic for projection in projections for topic in projection.topics)
    position, head, replayed = 0, last_at_or_before(app, moment), 0
    while position < head:
        notifications = app.recorder.select_notifications(
            start=position, limit=PAGE, stop=head, topics=topics, inclusive_of_start=False
        )
        if not notifications:
            break
        replayed += len(notifications)
        if replayed > max_events:
            db.close()
            raise TooMuchToReplay(maximum=max_events)
        with db.transaction() as cursor:
            for notification in notifications:
                event = app.mapper.to_domain_event(notification)
                if event.timestamp <= moment:
                    for projection in projections:
                        projection.process(cursor, event)
        position = notifications[-1].id
    return db
