"""A view as it was at a past moment: its handlers replayed from the log into a scratch database.

The replay takes the events recorded up to the moment and no further (the last notification
at or before it is found by halving the log), at most ``MAX_EVENTS`` of them, in log order,
into a private in-memory SQLite database made from the read models' migrations; the live view
is untouched.

Checkpoints keep the time of a request small however long the log: given the read-model
database (``checkpoints``), a replay saves its scratch database whole (SQLite's own image,
zlib-compressed) in ``replay_checkpoints`` where it passes a boundary of either kind — a count
of the views' events replayed from the start of the log that is a multiple of ``EVERY``, or a
notification id of the log that is a multiple of ``SPAN`` — each time it passes a multiple of
``SPARSE`` times either, and at the last boundary it passed, where it stopped; a later replay
starts from the nearest checkpoint at or before its moment and plays only the tail. So the
first request near a moment replays at most ``SPARSE * EVERY`` events read from at most
``SPARSE * SPAN`` of the log (the first of all: the whole log, up to ``MAX_EVENTS``), and every
later one near it at most ``EVERY`` from at most ``SPAN``. The log is read a span at a time:
the views read a few of its topics, and a stretch of other events (the launch day's million
hand-offs between two box batches) would otherwise be scanned whole by one query, from the
last checkpoint of the views' count far behind. Checkpoints are saved only where the board is
asked for, plus one every ``SPARSE`` boundaries. The image last loaded is kept decompressed in
the process, for a page asked again at a moment nearby.
A checkpoint never changes an answer:

- it is taken only from a replay that skipped no event before it (an event recorded before
  its notification but stamped after the replay's moment), so it holds exactly the events up
  to its notification, and only once that notification is ``SETTLED`` (older than a minute);
- it is read only for a moment at or after every event it holds (``latest``) and whose last
  notification is at or after its own, which is what a full replay would have applied;
- it is read only by the same ``version``: a fingerprint of the migrations and of the source
  of the views' modules, so a migration or a change to a handler leaves the old checkpoints
  unread (the next save deletes them). A rebuild of the live view does not touch the log and
  so needs nothing.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from coordination.errors import InvalidInput
from projections.database import Database, PostgresDatabase, SQLiteDatabase, split_sql
from projections.projection import Projection

PAGE = 1000
MAX_EVENTS = 500_000  # what one request may replay
EVERY = PAGE  # events of the views between two checkpoints: the longest tail near a moment
SPAN = 20_000  # events of the log between two checkpoints, whatever the views read of them
SPARSE = 8  # every SPARSE-th checkpoint is saved on the way; the others only where one stops
SETTLED = timedelta(minutes=1)  # a younger notification may still have one before it to come
_last: dict[tuple[Any, ...], bytes] = {}  # the checkpoint last loaded, decompressed


class TooMuchToReplay(InvalidInput):
    """More happened before the moment than one request may replay (HTTP 422)."""

    code = "too_much_to_replay"


class Scratch(SQLiteDatabase):
    """A private in-memory database, saved and loaded whole as SQLite's image of it."""

    def __init__(self) -> None:
        super().__init__(":memory:")

    def image(self) -> bytes:
        return self._connection().serialize()

    def load(self, image: bytes) -> None:
        self._connection().deserialize(image)


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


def version_of(projections: Sequence[Projection], migrations: Sequence[Path]) -> str:
    """What the scratch database's content follows from besides the log."""
    return _version(
        tuple(sorted({type(projection).__module__ for projection in projections})),
        tuple(migrations),
    )


@cache
def _version(modules: tuple[str, ...], migrations: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for migration in migrations:
        digest.update(migration.name.encode() + b"\0" + migration.read_bytes())
    for module in modules:
        digest.update(module.encode() + b"\0" + inspect.getsource(sys.modules[module]).encode())
    return digest.hexdigest()[:32]


@cache
def _empty(migrations: tuple[Path, ...]) -> bytes:
    """The image of a database made from the migrations, made once per process."""
    db = Scratch()
    try:
        with db.transaction() as cursor:
            for migration in migrations:
                for statement in split_sql(migration.read_text(), "sqlite"):
                    cursor.execute(statement)
        return db.image()
    finally:
        db.close()


def micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def replay_until(
    app: Any,
    projections: Sequence[Projection],
    migrations: Sequence[Path],
    moment: datetime,
    max_events: int = MAX_EVENTS,
    checkpoints: Database | None = None,
) -> SQLiteDatabase:
    """``migrations``: the read models' migration files in order (the later ones add columns
    the views' handlers write). ``checkpoints``: the read-model database, where the replay
    starts from and saves checkpoints (none: from the start of the log, saving none)."""
    db = Scratch()
    view = "+".join(projection.name for projection in projections)
    version = version_of(projections, migrations)
    head = last_at_or_before(app, moment)
    start = _nearest(checkpoints, view, version, head, moment) if checkpoints else None
    image: bytes | None  # the scratch database's image, kept while no event changes it
    if start is None:
        image = _empty(tuple(migrations))
        position, replayed, latest = 0, 0, 0
    else:
        image = start["image"]
        position, replayed, latest = start["notification_id"], start["replayed"], start["latest"]
    db.load(image)
    topics = tuple(topic for projection in projections for topic in projection.topics)
    tail, complete, settled = 0, True, micros(datetime.now(UTC) - SETTLED)
    stop: tuple[int, int, int, bytes] | None = None  # the last checkpoint passed, not saved
    while position < head:
        # a span of the log at a time: a stretch of events the views do not read (a million
        # hand-offs between two box batches) is crossed in bounded reads, and checkpointed
        bound = min(head, (position // SPAN + 1) * SPAN)
        limit = min(PAGE, EVERY - replayed % EVERY)  # a page ends on a multiple of EVERY
        notifications = app.recorder.select_notifications(
            start=position, limit=limit, stop=bound, topics=topics, inclusive_of_start=False
        )
        tail += len(notifications)
        if tail > max_events:
            db.close()
            raise TooMuchToReplay(maximum=max_events)
        if notifications:
            image = None
            with db.transaction() as cursor:
                for notification in notifications:
                    event = app.mapper.to_domain_event(notification)
                    if event.timestamp <= moment:
                        latest = max(latest, micros(event.timestamp))
                        for projection in projections:
                            projection.process(cursor, event)
                    else:
                        complete = False
            replayed += len(notifications)
        position = notifications[-1].id if len(notifications) == limit else bound
        counted = bool(notifications) and replayed % EVERY == 0
        spanned = position % SPAN == 0
        if checkpoints and complete and (counted or spanned) and latest < settled:
            image = image or db.image()
            stop = (position, replayed, latest, image)
            if (counted and replayed % (SPARSE * EVERY) == 0) or position % (SPARSE * SPAN) == 0:
                _save(checkpoints, view, version, *stop)
                stop = None
    if checkpoints and stop:
        _save(checkpoints, view, version, *stop)
    return db


def _nearest(
    checkpoints: Database, view: str, version: str, head: int, moment: datetime
) -> dict[str, Any] | None:
    rows = checkpoints.query(
        "SELECT notification_id, replayed, latest FROM replay_checkpoints"
        " WHERE view = %s AND version = %s AND notification_id <= %s AND latest <= %s"
        " ORDER BY notification_id DESC LIMIT 1",
        (view, version, head, micros(moment)),
    )
    if not rows:
        return None
    key = (id(checkpoints), view, version, rows[0]["notification_id"], rows[0]["latest"])
    image = _last.get(key)
    if image is None:
        image = zlib.decompress(_image(checkpoints, key[1:4]))
        _last.clear()
        _last[key] = image
    return {**rows[0], "image": image}


def _image(checkpoints: Database, key: tuple[Any, ...]) -> bytes:
    sql = (
        "SELECT image FROM replay_checkpoints"
        " WHERE view = %s AND version = %s AND notification_id = %s"
    )
    if isinstance(checkpoints, PostgresDatabase):  # as bytes, not as hex text: 4 times faster
        with checkpoints.pool.connection() as connection:
            return bytes(connection.cursor(binary=True).execute(sql, key).fetchall()[0]["image"])
    return bytes(checkpoints.query(sql, key)[0]["image"])


def _save(
    checkpoints: Database,
    view: str,
    version: str,
    position: int,
    replayed: int,
    latest: int,
    image: bytes,
) -> None:
    with checkpoints.transaction() as cursor:
        cursor.execute(
            "DELETE FROM replay_checkpoints WHERE view = %s AND version <> %s", (view, version)
        )
        cursor.execute(
            "INSERT INTO replay_checkpoints"
            " (view, version, notification_id, replayed, latest, image)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (view, version, position, replayed, latest, zlib.compress(image, 1)),
        )
