"""How far each view stands and whether it is stalled: what `katf views`, `/healthz`,
`/metrics` and the live pages' "this board is behind" read.

A view whose handler keeps failing on one event is marked stalled (with the event and the
error) after a bounded number of attempts; the runner then leaves it where it stands, never
past the event, until an operator fixes the cause and resumes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from projections.database import Database

RUNNING, STALLED = "running", "stalled"
ERROR_LENGTH = 500


class ViewFailed(Exception):
    """A view's handler could not apply one event of the log."""

    def __init__(self, view: str, event: int | None, topic: str | None, error: BaseException):
        super().__init__(f"{view} failed on event {event} ({topic}): {error!r}")
        self.view, self.event, self.topic, self.error = view, event, topic, error


class ViewStalled(Exception):
    """A view that was asked to move while stalled: it waits for `katf resume`."""


@dataclass(frozen=True)
class ViewState:
    name: str
    position: int
    lag: int
    state: str
    event: int | None = None
    topic: str | None = None
    error: str | None = None
    since: str | None = None

    @property
    def stalled(self) -> bool:
        return self.state == STALLED

    def behind(self, threshold: int) -> bool:
        return self.stalled or self.lag > threshold


def view_states(db: Database, names: Sequence[str], head: int) -> list[ViewState]:
    """Every named view, in the order given; a view without a tracking row stands at 0."""
    rows = {
        row["name"]: row
        for row in db.query(
            "SELECT name, position, state, stalled_event, stalled_topic, stalled_error,"
            " stalled_at FROM projection_tracking"
        )
    }
    states = []
    for name in names:
        row = rows.get(name)
        if row is None:
            states.append(ViewState(name, 0, head, RUNNING))
            continue
        position = int(row["position"])
        states.append(
            ViewState(
                name,
                position,
                max(head - position, 0),
                row["state"],
                None if row["stalled_event"] is None else int(row["stalled_event"]),
                row["stalled_topic"],
                row["stalled_error"],
                row["stalled_at"],
            )
        )
    return states


def is_stalled(db: Database, name: str) -> bool:
    rows = db.query("SELECT state FROM projection_tracking WHERE name = %s", (name,))
    return bool(rows) and rows[0]["state"] == STALLED


def mark_stalled(db: Database, position: int, failure: ViewFailed) -> bool:
    """The view stalled where it stands; False if it moved meanwhile (another worker)."""
    with db.transaction() as cursor:
        cursor.execute(
            "UPDATE projection_tracking SET state = %s, stalled_event = %s, stalled_topic = %s,"
            " stalled_error = %s, stalled_at = %s WHERE name = %s AND position = %s"
            " RETURNING name",
            (
                STALLED,
                failure.event,
                failure.topic,
                repr(failure.error)[:ERROR_LENGTH],
                datetime.now(UTC).isoformat(timespec="seconds"),
                failure.view,
                position,
            ),
        )
        return cursor.fetchone() is not None


def resume(db: Database, name: str) -> bool:
    """The view runs again from where it stalled; False if it was not stalled."""
    with db.transaction() as cursor:
        cursor.execute(
            "UPDATE projection_tracking SET state = %s, stalled_event = NULL,"
            " stalled_topic = NULL, stalled_error = NULL, stalled_at = NULL"
            " WHERE name = %s AND state = %s RETURNING name",
            (RUNNING, name, STALLED),
        )
        return cursor.fetchone() is not None
