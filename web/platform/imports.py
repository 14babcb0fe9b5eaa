"""Imports of uploaded tables, run in a background thread with their progress in the database.

Each row is one command; a refused row is kept in the report with its number and reason,
and the import goes on. Re-running a file imports nothing twice (commands are idempotent).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from coordination.errors import DomainError
from projections.database import Database, Row
from web.platform.errors import message_of

log = logging.getLogger(__name__)
Handle = Callable[[list[dict[str, str]]], list[Any]]
CHUNK = 200


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
    with db.transaction() as cursor:
        cursor.execute(
            "INSERT INTO import_jobs (job_id, kind, owner, target, total, started_at)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (job_id, kind, owner, target, len(rows), datetime.now(UTC).isoformat()),
        )
    threading.Thread(
        target=run_import, args=(db, job_id, rows, handle, locale), name="import", daemon=True
    ).start()
    return job_id


def run_import(
    db: Database, job_id: str, rows: list[dict[str, str]], handle: Handle, locale: str
) -> None:
    counts = {"created": 0, "existing": 0, "linked": 0}
    report: list[dict[str, Any]] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        try:
            outcomes = handle(chunk)
        except Exception:  # noqa: BLE001 - the rows are reported, the import goes on
            log.exception("import rows %s to %s failed", start + 2, start + 1 + len(chunk))
            outcomes = [ImportFailed()] * len(chunk)
        for number, outcome in enumerate(outcomes, start=start + 2):  # row 1: the headers
            if isinstance(outcome, DomainError):
                reason = message_of(outcome, locale)
                report.append({"row": number, "code": outcome.code, "reason": reason})
            else:
                counts[outcome] += 1
        _record(db, job_id, start + len(chunk), counts, report, False)
    _record(db, job_id, len(rows), counts, report, True)


def _record(
    db: Database,
    job_id: str,
    done: int,
    counts: dict[str, int],
    report: list[dict[str, Any]],
    finished: bool,
) -> None:
    with db.transaction() as cursor:
        cursor.execute(
            "UPDATE import_jobs SET done = %s, created = %s, existing = %s, linked = %s,"
            " rejected = %s, report = %s, finished_at = %s WHERE job_id = %s",
            (
                done,
                counts["created"],
                counts["existing"],
                counts["linked"],
                len(report),
                json.dumps(report, ensure_ascii=False),
                datetime.now(UTC).isoformat() if finished else None,
                job_id,
            ),
        )


class ImportFailed(DomainError):
    code = "import_failed"


def find_import(db: Database, job_id: str) -> Row | None:
    rows = db.query("SELECT * FROM import_jobs WHERE job_id = %s", (job_id,))
    return {**rows[0], "report": json.loads(rows[0]["report"])} if rows else None
