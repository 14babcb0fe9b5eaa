"""A view as it was at a past moment: its handlers replayed from the log into a scratch database.

The replay takes the events recorded up to the moment, in log order, into a private
in-memory SQLite database made from the read models' migrations; the live view is untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from projections.database import SQLiteDatabase, split_sql
from projections.projection import Projection

PAGE = 1000


def replay_until(
    app: Any, projections: Sequence[Projection], migrations: Sequence[Path], moment: datetime
) -> SQLiteDatabase:
    """``migrations``: the read models' migration files in order (the later ones add columns
    the views' handlers write)."""
    db = SQLiteDatabase(":memory:")
    with db.transaction() as cursor:
        for migration in migrations:
            for statement in split_sql(migration.read_text(), "sqlite"):
                cursor.execute(statement)
    topics = tuple(topic for projection in projections for topic in projection.topics)
    position, head = 0, app.recorder.max_notification_id() or 0
    while position < head:
        notifications = app.recorder.select_notifications(
            start=position, limit=PAGE, stop=head, topics=topics, inclusive_of_start=False
        )
        if not notifications:
            break
        with db.transaction() as cursor:
            for notification in notifications:
                event = app.mapper.to_domain_event(notification)
                if event.timestamp <= moment:
                    for projection in projections:
                        projection.process(cursor, event)
        position = notifications[-1].id
    return db
