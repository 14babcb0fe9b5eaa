"""Imports of uploaded tables, run as durable jobs (``workers.jobs``) with their progress in
the database.

The rows are queued in chunks with the job; a worker imports a chunk with one command whose
rows carry keys (job, chunk, row), then records its outcomes, deletes its rows and renews its
lease in one transaction. A worker that dies leaves its chunk to the next, whose command
answers as the first did: nothing is recorded twice and the counts stay exact. A refused row is
appended to the report with its number and reason, and the import goes on. One import runs at
a time for a place: a second one is refused until the first is over.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from coordination.errors import DomainError, RuleViolation
from coordination.permissions import Actor, Grant, Role
from projections.database import Cursor, Database, Row
from web.platform.errors import message_of
from workers.jobs import Lease, enqueue, renew, settle

log = logging.getLogger(__name__)
# Imports one chunk of rows under the actor's name with one key per row; one outcome each:
# "created", "existing", "asked" (a volunteer asked to join) or the reason it was refused.
Importer = Callable[[Actor, str, list[dict[str, str]], list[str]], Sequence[Any]]
CHUNK = 200
COUNTS = ("created", "existing", "linked", "rejected")


def start_import(
    db: Database,
    kind: str,
    actor: Actor,
    target: str,
    rows: list[dict[str, str]],
    locale: str,
    chunk: int = CHUNK,
) -> str:
    """Queued with its rows, for a worker to run; ``ImportRunning`` while the place has one."""
    job_id = str(uuid4())
    now = datetime.now(UTC).isoformat()
    owner = str(actor.account_id or actor.device_site_id)
    with db.transaction() as cursor:
        cursor.execute(
            "INSERT INTO import_jobs (job_id, kind, owner, target, total, started_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (job_id, kind, owner, target, len(rows), now, now),
        )
        if cursor.rowcount != 1:
            raise ImportRunning()
        payload = {"actor": actor_payload(actor), "target": target, "locale": locale}
        enqueue(cursor, job_id, kind, payload)
        if rows:
            cursor.executemany(
                "INSERT INTO job_chunks (job_id, chunk, first_row, rows) VALUES (%s, %s, %s, %s)",
                [
                    (job_id, number, start + 2, json.dumps(rows[start : start + chunk]))
                    for number, start in enumerate(range(0, len(rows), chunk))
                ],  # row 1 of the file: the headers
            )
    return job_id


class ImportJob:
    """A kind of import as the job queue runs it: chunk after chunk, from the first not recorded."""

    def __init__(self, db: Database, importer: Importer, pause: float = 0.0) -> None:
        self.db, self.importer = db, importer
        self.pause = pause  # after deciding a chunk, before recording it (tests stop workers there)

    def run(self, lease: Lease) -> None:
        actor, target = actor_from(lease.payload["actor"]), lease.payload["target"]
        while chunk := self._next_chunk(lease.job_id):
            rows: list[dict[str, str]] = json.loads(chunk["rows"])
            first = chunk["first_row"]
            keys = [f"import:{lease.job_id}:{chunk['chunk']}:{first + n}" for n in range(len(rows))]
            try:
                outcomes = list(self.importer(actor, target, rows, keys))
            except Exception:  # noqa: BLE001 - the rows are reported, the import goes on
                log.exception("import rows %s to %s failed", first, first + len(rows) - 1)
                outcomes = [ImportFailed()] * len(rows)
            if self.pause:
                time.sleep(self.pause)
            with self.db.transaction() as cursor:
                renew(cursor, lease)
                _record(cursor, lease, chunk["chunk"], first, outcomes)
        with self.db.transaction() as cursor:
            settle(cursor, lease, "finished")
            _close(cursor, lease.job_id)

    def give_up(self, lease: Lease) -> None:
        """The rows not yet imported are dropped; the place may import again."""
        with self.db.transaction() as cursor:
            settle(cursor, lease, "failed")
            cursor.execute("DELETE FROM job_chunks WHERE job_id = %s", (lease.job_id,))
            _close(cursor, lease.job_id)

    def _next_chunk(self, job_id: str) -> Row | None:
        rows = self.db.query(
            "SELECT chunk, first_row, rows FROM job_chunks WHERE job_id = %s"
            " ORDER BY chunk LIMIT 1",
            (job_id,),
        )
        return rows[0] if rows else None


def _record(cursor: Cursor, lease: Lease, chunk: int, first: int, outcomes: Sequence[Any]) -> None:
    counts = dict.fromkeys(COUNTS, 0)
    rejected = []
    locale = lease.payload["locale"]
    for number, outcome in enumerate(outcomes, start=first):
        if isinstance(outcome, DomainError):
            rejected.append((lease.job_id, number, outcome.code, message_of(outcome, locale)))
        else:  # the "linked" column counts volunteers asked to join
            counts["linked" if outcome == "asked" else outcome] += 1
    counts["rejected"] = len(rejected)
    if rejected:
        cursor.executemany(
            "INSERT INTO import_report_rows (job_id, row_number, code, reason)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            rejected,
        )
    cursor.execute("DELETE FROM job_chunks WHERE job_id = %s AND chunk = %s", (lease.job_id, chunk))
    cursor.execute(
        "UPDATE import_jobs SET done = done + %s, created = created + %s,"
        " existing = existing + %s, linked = linked + %s, rejected = rejected + %s,"
        " updated_at = %s WHERE job_id = %s",
        (len(outcomes), *(counts[c] for c in COUNTS), datetime.now(UTC).isoformat(), lease.job_id),
    )


def _close(cursor: Cursor, job_id: str) -> None:
    """Over, finished or given up: the place may import again."""
    now = datetime.now(UTC).isoformat()
    cursor.execute(
        "UPDATE import_jobs SET updated_at = %s, finished_at = %s WHERE job_id = %s",
        (now, now, job_id),
    )


def actor_payload(actor: Actor) -> dict[str, Any]:
    """Who uploaded the list, kept with the job: its commands are decided in their name."""
    return {
        "account_id": _text(actor.account_id),
        "volunteer_id": _text(actor.volunteer_id),
        "device_site_id": _text(actor.device_site_id),
        "grants": sorted([grant.role.value, grant.scope] for grant in actor.grants),
    }


def actor_from(payload: dict[str, Any]) -> Actor:
    return Actor(
        _uuid(payload["account_id"]),
        _uuid(payload["volunteer_id"]),
        frozenset(Grant(Role(role), scope) for role, scope in payload["grants"]),
        _uuid(payload["device_site_id"]),
    )


def _text(value: UUID | None) -> str | None:
    return None if value is None else str(value)


def _uuid(value: str | None) -> UUID | None:
    return None if value is None else UUID(value)


class ImportFailed(DomainError):
    code = "import_failed"


class ImportRunning(RuleViolation):
    code = "import_running"


def find_import(db: Database, job_id: str) -> Row | None:
    """The job with its state and report: the rejected rows in order (older jobs kept it as
    one text). A job from before the queue has no state of its own: over, or never to be."""
    rows = db.query(
        "SELECT i.*, j.state, j.attempts FROM import_jobs i"
        " LEFT JOIN jobs j ON j.job_id = i.job_id WHERE i.job_id = %s",
        (job_id,),
    )
    if not rows:
        return None
    job = rows[0]
    report = json.loads(job["report"]) or [
        {"row": row["row_number"], "code": row["code"], "reason": row["reason"]}
        for row in db.query(
            "SELECT row_number, code, reason FROM import_report_rows WHERE job_id = %s"
            " ORDER BY row_number",
            (job_id,),
        )
    ]
    return {**job, "state": job["state"] or "finished", "report": report}
