"""Follows the event store's notification log and keeps each read model up to date.

Each batch updates a view and its tracking position in one transaction; the position
update is conditional on the position read before, so a view is updated exactly once per
event even with several workers, a crash mid-batch, or a rebuild running alongside.
The same code follows SQLite and PostgreSQL. A view whose handler keeps failing on one event
is marked stalled after ``ATTEMPTS`` tries while the others go on (``view_state``); it never
skips the event, and waits for ``katf resume``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from projections.database import Database
from projections.projection import Projection
from projections.view_state import (
    RUNNING,
    ViewFailed,
    ViewStalled,
    ViewState,
    is_stalled,
    mark_stalled,
    view_states,
)

log = logging.getLogger(__name__)

Publish = Callable[[str, set[str]], None]
Progress = Callable[[int, int], None]
REBUILD_BATCH = 2_000
ATTEMPTS = 5  # a view failing this many times in a row on one batch is stalled


class ViewMoved(Exception):
    """Another worker moved a view's position during a rebuild of every view."""


class ProjectionRunner:
    def __init__(
        self,
        app: Any,
        db: Database,
        projections: Sequence[Projection],
        *,
        publish: Publish | None = None,
        batch_size: int = 500,
    ) -> None:
        self.app, self.db, self.projections = app, db, list(projections)
        self.publish = publish
        self.batch_size = batch_size
        self.topics = sorted({t for projection in self.projections for t in projection.topics})
        self.failures: dict[str, int] = {}

    def projection(self, name: str) -> Projection:
        for projection in self.projections:
            if projection.name == name:
                return projection
        raise KeyError(name)

    def ensure_tracking(self) -> None:
        with self.db.transaction() as cursor:
            for projection in self.projections:
                cursor.execute(
                    "INSERT INTO projection_tracking (name, position) VALUES (%s, 0)"
                    " ON CONFLICT (name) DO NOTHING",
                    (projection.name,),
                )

    def position(self, projection: Projection) -> int:
        rows = self.db.query(
            "SELECT position FROM projection_tracking WHERE name = %s", (projection.name,)
        )
        return int(rows[0]["position"]) if rows else 0

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def states(self) -> list[ViewState]:
        return view_states(self.db, [p.name for p in self.projections], self.head())

    def step(self, projection: Projection, head: int | None = None) -> int:
        """Processes one batch, up to ``head`` (by default the log's); returns how far the
        position moved (0: caught up, or stalled)."""
        rows = self.db.query(
            "SELECT position, state FROM projection_tracking WHERE name = %s", (projection.name,)
        )
        position = int(rows[0]["position"]) if rows else 0
        head = self.head() if head is None else head
        if head <= position or (rows and rows[0]["state"] != RUNNING):
            return 0
        notifications, new_position = self._batch(position, head, projection.topics)
        changed: set[str] = set()
        with self.db.transaction(pipelined=True) as cursor:
            cursor.execute(
                "UPDATE projection_tracking SET position = %s"
                " WHERE name = %s AND position = %s AND state = %s RETURNING position",
                (new_position, projection.name, position, RUNNING),
            )
            if cursor.fetchone() is None:
                missing = position == 0 and not self.db.query(
                    "SELECT 1 FROM projection_tracking WHERE name = %s", (projection.name,)
                )
                if not missing:
                    return 0
                cursor.execute(
                    "INSERT INTO projection_tracking (name, position) VALUES (%s, %s)",
                    (projection.name, new_position),
                )
            for notification in notifications:
                try:
                    event = self.app.mapper.to_domain_event(notification)
                    changed.update(projection.process(cursor, event))
                except Exception as error:
                    raise ViewFailed(
                        projection.name, notification.id, notification.topic, error
                    ) from error
        if changed and self.publish is not None:
            self.publish(projection.name, changed)
        return new_position - position

    def _batch(
        self, position: int, head: int, topics: Sequence[str], limit: int | None = None
    ) -> tuple[list[Any], int]:
        """The notifications of ``topics`` after ``position``, up to ``head`` or ``limit`` of
        them (by default a live batch), and the position they take a view to."""
        limit = self.batch_size if limit is None else limit
        notifications = self.app.recorder.select_notifications(
            start=position,
            limit=limit,
            stop=head,
            topics=list(topics),
            inclusive_of_start=False,
        )
        full = len(notifications) == limit
        return list(notifications), notifications[-1].id if full else head

    def catch_up(self, progress: Progress | None = None) -> None:
        """Runs every view up to the head of the log as it was when called."""
        target = self.head()
        for projection in self.projections:
            self._follow_to(projection, target, progress)

    def rebuild(self, projection: Projection, progress: Progress | None = None) -> None:
        """Drops the view's rows and replays the whole log into it (the log analyzed first,
        as for every view: ``empty_all``)."""
        self.app.recorder.analyze()
        with self.db.transaction() as cursor:
            self._empty(cursor, projection.tables)
            cursor.execute(
                "UPDATE projection_tracking SET position = 0, state = %s, stalled_event = NULL,"
                " stalled_topic = NULL, stalled_error = NULL, stalled_at = NULL WHERE name = %s",
                (RUNNING, projection.name),
            )
        self._follow_to(projection, self.head(), progress)

    def rebuild_all(self, progress: Progress | None = None) -> None:
        """Every view emptied and replayed from one reading of the log."""
        self.replay(self.empty_all(), progress)

    def empty_all(self) -> int:
        """Every view emptied, its position 0; the head of the log to replay them to. The
        server's statistics of the log are brought up to date first: a log restored, or grown
        where nothing analyzed it, has none, and each span the replay reads was then found by
        scanning the whole log after it (about seven times the server's time for the read)."""
        self.app.recorder.analyze()
        with self.db.transaction() as cursor:
            self._empty(cursor, [t for projection in self.projections for t in projection.tables])
            cursor.execute(
                "UPDATE projection_tracking SET position = 0, state = %s, stalled_event = NULL,"
                " stalled_topic = NULL, stalled_error = NULL, stalled_at = NULL",
                (RUNNING,),
            )
        return self.head()

    def _empty(self, cursor: Any, tables: Sequence[str]) -> None:
        """On PostgreSQL the tables are truncated: a DELETE leaves every row behind, dead until
        vacuumed, and the replay then inserts each key again beside its dead predecessor into
        tables and indexes twice the size."""
        if self.db.dialect == "postgres" and tables:
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            return
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")

    def replay(self, target: int, progress: Progress | None = None) -> None:
        """This runner's views, once emptied, replayed up to ``target``: the events they handle are
        read and decoded once for all of them, and a batch updates every view in one
        transaction. If another worker moves a view meanwhile, the batch is undone and each
        view finishes on its own."""
        try:
            for position, new_position, events in self._batches(target):
                self._replay_batch(position, new_position, events, replaying=True)
                if progress is not None:
                    progress(new_position, target)
        except ViewMoved:
            for projection in self.projections:
                self._follow_to(projection, target, progress)

    def _batches(self, target: int) -> Iterator[tuple[int, int, list[Any]]]:
        """The log up to ``target`` as ``(from, to, decoded events)``, each span read and
        decoded by a thread while the one before it is written: the server reads the log
        while this process decides, and writes while this process decodes."""
        position = 0
        with ThreadPoolExecutor(1, thread_name_prefix="log-reader") as reader:
            ahead = reader.submit(self._span, position, target)
            while position < target:
                new_position, events = ahead.result()
                if new_position < target:
                    ahead = reader.submit(self._span, new_position, target)
                yield position, new_position, events
                position = new_position

    def _span(self, position: int, target: int) -> tuple[int, list[Any]]:
        notifications, new_position = self._batch(position, target, self.topics, REBUILD_BATCH)
        return new_position, [self.app.mapper.to_domain_event(n) for n in notifications]

    def _replay_batch(
        self,
        position: int,
        new_position: int,
        events: list[Any],
        changed: dict[str, set[str]] | None = None,
        *,
        replaying: bool = False,
    ) -> None:
        """Every view moved from ``position`` to ``new_position`` by ``events``, at once; the
        keys each view changed are added to ``changed``. ``replaying``: the views' tables grow
        from nothing, and each statement is planned for the tables as they stand: a plan the
        server kept from when they were empty (a scan of every row) would serve the statement
        for the rest of the replay, the rows it scans growing with each batch."""
        names = [projection.name for projection in self.projections]
        with self.db.transaction(pipelined=True) as cursor:
            if replaying and self.db.dialect == "postgres":
                cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
            cursor.execute(
                "UPDATE projection_tracking SET position = %s WHERE position = %s AND name IN"
                f" ({', '.join(['%s'] * len(names))}) RETURNING name",
                (new_position, position, *names),
            )
            moved = set(names) - {row["name"] for row in cursor.fetchall()}
            if moved:
                raise ViewMoved(", ".join(sorted(moved)))
            kinds = {type(event) for event in events}
            for projection in self.projections:
                if not projection.handles_any(kinds):
                    continue
                keys = projection.process_all(cursor, events)
                if keys and changed is not None:
                    changed[projection.name] = keys

    def _follow_to(self, projection: Projection, target: int, progress: Progress | None) -> None:
        while self.position(projection) < target:
            if not self.step(projection) and is_stalled(self.db, projection.name):
                raise ViewStalled(projection.name)
            if progress is not None:
                progress(min(self.position(projection), target), target)

    def run(self, stop: threading.Event, wake: threading.Event, interval: float = 0.05) -> None:
        """Follows the log until ``stop`` is set; ``wake`` cuts the wait after a save. Views at
        one position move together; any other time (a view rebuilt or failing, another worker
        in between) each moves on its own, to the same head, so they meet again."""
        followed = -1
        while not stop.is_set():
            head, moved = self.head(), 0
            if head != followed:
                together = self._step_together(head)
                if together is not None:
                    moved = together
                else:
                    for projection in self.projections:
                        try:
                            moved += self.step(projection, head)
                            self.failures.pop(projection.name, None)
                        except Exception as error:  # noqa: BLE001 - counted, then stalled
                            self._failed(projection, error)
                            stop.wait(1.0)
                            moved += 1
                if not moved:
                    followed = head  # every view has reached it: idle until the log grows
            if not moved:
                wake.wait(interval)
                wake.clear()

    def _failed(self, projection: Projection, error: Exception) -> None:
        """Counted; after ``ATTEMPTS`` in a row the view is stalled where it stands."""
        attempts = self.failures.get(projection.name, 0) + 1
        self.failures[projection.name] = attempts
        if attempts < ATTEMPTS:
            log.warning(
                "view %s failed (attempt %d of %d); retrying",
                projection.name,
                attempts,
                ATTEMPTS,
                exc_info=error,
            )
            return
        self.failures.pop(projection.name, None)
        failure = (
            error
            if isinstance(error, ViewFailed)
            else ViewFailed(projection.name, None, None, error)
        )
        position = self.position(projection)
        if mark_stalled(self.db, position, failure):
            log.error(
                "view %s stalled at position %d on event %s (%s): %r; fix the cause, then"
                " run `katf resume %s`",
                projection.name,
                position,
                failure.event,
                failure.topic,
                failure.error,
                projection.name,
                exc_info=error,
            )

    def _step_together(self, head: int) -> int | None:
        """One batch for every view, read and decoded once, in one transaction with one
        tracking update; None (nothing done) unless every view stands at one position and the
        batch goes through."""
        names = [projection.name for projection in self.projections]
        rows = self.db.query(
            "SELECT position FROM projection_tracking WHERE state = %s AND name IN"
            f" ({', '.join(['%s'] * len(names))})",
            (RUNNING, *names),
        )
        positions = {int(row["position"]) for row in rows}
        if len(rows) != len(names) or len(positions) != 1:
            return None
        position = positions.pop()
        if head <= position:
            return 0
        notifications, new_position = self._batch(position, head, self.topics)
        events = [self.app.mapper.to_domain_event(n) for n in notifications]
        changed: dict[str, set[str]] = {}
        try:
            self._replay_batch(position, new_position, events, changed)
        except ViewMoved:
            return None
        except Exception:  # noqa: BLE001 - a view's handler failed: each view on its own finds which
            log.warning("views could not move together; each moves on its own", exc_info=True)
            return None
        if self.publish is not None:
            for name, keys in changed.items():
                self.publish(name, keys)
        return new_position - position

    def caught_up(self) -> bool:
        head = self.head()
        return all(self.position(projection) >= head for projection in self.projections)
