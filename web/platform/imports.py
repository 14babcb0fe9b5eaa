"""Imports of uploaded tables, run in a background thread with their progress in the database.

Each row is one command; a refused row is appended to the report with its number and reason,
and the import goes on. Re-running a file imports nothing twice (commands are idempotent).
One import runs at a time for a place: a second one is refused until the first is over.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from coordination.errors import DomainError, RuleViolation
from projections.database import Database, Row
from web.platform.errors import message_of

log = logging.getLogger(__name__)
Handle = Callable[[list[dict[str, str]]], list[Any]]
CHUNK = 200
# An import that has written nothing for this long died with its process; another may start.
ABANDONED_AFTER = timedelta(minutes=10)


def start_import(
    db: Database,
    kind: str,
    owner: str,
    target: str,
    rows: list[dict[str, str]],
    handle: Handle,
    locale: str,
) -> str:
    job_id = str(uuid4())
    now = datetime.now(UTC)
    with db.transaction() as cursor:
        cursor.execute(
            "UPDATE import_jobs SET finished_at = %s WHERE kind = %s AND target = %s"
            " AND finished_at IS NULL AND COALESCE(updated_at, started_at) < %s",
            (now.isoformat(), kind, target, (now - ABANDONED_AFTER).isoformat()),
        )
        cursor.execute(
            "INSERT INTO import_jobs (job_id, kind, owner, target, total, started_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (job_id, kind, owner, target, len(rows), now.isoformat(), now.isoformat()),
        )
        if cursor.rowcount != 1:
            raise ImportRunning()
    threading.Thread(
        target=run_import, args=(db, job_id, rows, handle, locale), name="import", daemon=True
    ).start()
    return job_id


def run_import(
    db: Database, job_id: str, rows: list[dict[str, str]], handle: Handle, locale: str
) -> None:
    counts = {"created": 0, "existing": 0, "linked": 0, "rejected": 0}
    done = 0
    try:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            try:
                outcomes = handle(chunk)
            except Exception:  # noqa: BLE001 - the rows are reported, the import goes on
                log.exception("import rows %s to %s failed", start + 2, start + 1 + len(chunk))
                outcomes = [ImportFailed()] * len(chunk)
            rejected = []
            for number, outcome in enumerate(outcomes, start=start + 2):  # row 1: the headers
                if isinstance(outcome, DomainError):
                    rejected.append((job_id, number, outcome.code, message_of(outcome, locale)))
                else:  # the "linked" column counts volunteers asked to join
                    counts["linked" if outcome == "asked" else outcome] += 1
            counts["rejected"] += len(rejected)
            done = start + len(chunk)
            _record(db, job_id, done, counts, rejected, False)
    finally:  # over, even when it broke off: the place may import again
        _record(db, job_id, done, counts, [], True)


def _record(
    db: Database,
    job_id: str,
    done: int,
    counts: dict[str, int],
    rejected: list[tuple[str, int, str, str]],
    finished: bool,
) -> None:
    now = datetime.now(UTC).isoformat()
    with db.transaction() as cursor:
        if rejected:
            cursor.executemany(
                "INSERT INTO import_report_rows (job_id, row_number, code, reason)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                rejected,
            )
        cursor.execute(
            "UPDATE import_jobs SET done = %s, created = %s, existing = %s, linked = %s,"
            " rejected = %s, updated_at = %s, finished_at = %s WHERE job_id = %s",
            (
                done,
                counts["created"],
                counts["existing"],
                counts["linked"],
                counts["rejected"],
                now,
                now if finished else None,
                job_id,
            ),
        )


class ImportFailed(DomainError):
    code = "import_failed"


class ImportRunning(RuleViolation):
    code = "import_running"


def find_import(db: Database, job_id: str) -> Row | None:
    """The job with its report: the rejected rows in order (older jobs kept it as one text)."""
    rows = db.query("SELECT * FROM import_jobs WHERE job_id = %s", (job_id,))
    if not rows:
        return None
    report = json.loads(rows[0]["report"]) or [
        {"row": row["row_number"], "code": row["code"], "reason": row["reason"]}
        for row in db.query(
            "SELECT row_number, code, reason FROM import_report_rows WHERE job_id = %s"
            " ORDER BY row_number",
            (job_id,),
        )
    ]
    return {**rows[0], "report": report}
