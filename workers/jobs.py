"""A durable queue of background jobs in the database the app already uses (SQLite or PostgreSQL).

A worker takes a job by leasing it (its worker id, a time the lease runs to) and renews the
lease with every step it records; a job whose lease ran out, its worker gone, is taken by the
next worker that asks, its attempts counted. A job must be safe to take up again from its last
recorded step: an import records a chunk and renews its lease in one transaction, and its
commands carry keys, so a chunk done twice records nothing twice.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import uuid4

from projections.database import Cursor, Database

log = logging.getLogger(__name__)
LEASE_SECONDS = 60.0
MAX_ATTEMPTS = 5  # a job that brings down its worker every time stops, failed
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Lease:
    job_id: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    worker_id: str
    seconds: float


class Job(Protocol):
    """What a kind of job does; ``run`` records its steps with ``renew`` in their transaction."""

    def run(self, lease: Lease) -> None: ...
    def give_up(self, lease: Lease) -> None: ...


class LeaseLost(Exception):
    """Another worker took the job (this one was too slow): what it was recording is undone."""


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"


def enqueue(cursor: Cursor, job_id: str, kind: str, payload: dict[str, Any]) -> None:
    """Queued in the caller's transaction: the job exists exactly when what it works on does."""
    now = stamp(datetime.now(UTC))
    cursor.execute(
        "INSERT INTO jobs (job_id, kind, payload, leased_until, created_at)"
        " VALUES (%s, %s, %s, %s, %s)",
        (job_id, kind, json.dumps(payload), now, now),
    )


def claim(db: Database, worker_id: str, seconds: float = LEASE_SECONDS) -> Lease | None:
    """The oldest job queued or left by a worker whose lease ran out, leased to this one."""
    now = datetime.now(UTC)
    due = (
        "SELECT job_id FROM jobs WHERE state IN ('queued', 'running') AND leased_until < %s"
        " ORDER BY created_at LIMIT 1"
    )
    if not db.query(due, (stamp(now),)):  # an idle worker's look takes no write lock
        return None
    if db.dialect == "postgres":  # workers pass over a job another is taking meanwhile
        due += " FOR UPDATE SKIP LOCKED"
    with db.transaction() as cursor:
        row = cursor.execute(
            "UPDATE jobs SET state = 'running', worker_id = %s, leased_until = %s,"
            f" attempts = attempts + 1 WHERE job_id = ({due})"
            " RETURNING job_id, kind, payload, attempts",
            (worker_id, stamp(now + timedelta(seconds=seconds)), stamp(now)),
        ).fetchone()
    if row is None:
        return None
    payload = json.loads(row["payload"])
    return Lease(row["job_id"], row["kind"], payload, row["attempts"], worker_id, seconds)


def renew(cursor: Cursor, lease: Lease) -> None:
    """The lease runs on from now; raises ``LeaseLost`` (undoing the transaction) if it is
    no longer this worker's."""
    until = stamp(datetime.now(UTC) + timedelta(seconds=lease.seconds))
    cursor.execute(
        "UPDATE jobs SET leased_until = %s WHERE job_id = %s AND worker_id = %s"
        " AND state = 'running'",
        (until, lease.job_id, lease.worker_id),
    )
    if cursor.rowcount != 1:
        raise LeaseLost(lease.job_id)


def settle(cursor: Cursor, lease: Lease, state: str) -> None:
    """The job is over (``finished`` or ``failed``), in the transaction of its last step."""
    renew(cursor, lease)
    now = stamp(datetime.now(UTC))
    cursor.execute(
        "UPDATE jobs SET state = %s, finished_at = %s, leased_until = %s WHERE job_id = %s",
        (state, now, now, lease.job_id),
    )


def release(db: Database, lease: Lease) -> None:
    """Handed back at once after an error, for the next attempt (this worker's or another's)."""
    with db.transaction() as cursor:
        cursor.execute(
            "UPDATE jobs SET leased_until = %s WHERE job_id = %s AND worker_id = %s"
            " AND state = 'running'",
            (stamp(datetime.now(UTC)), lease.job_id, lease.worker_id),
        )


def work_once(
    db: Database, jobs: Mapping[str, Job], worker_id: str, seconds: float = LEASE_SECONDS
) -> bool:
    """One job taken and worked on; False when none was waiting."""
    lease = claim(db, worker_id, seconds)
    if lease is None:
        return False
    job = jobs[lease.kind]
    try:
        if lease.attempts > MAX_ATTEMPTS:
            log.error("job %s gave up after %s attempts", lease.job_id, MAX_ATTEMPTS)
            job.give_up(lease)
        else:
            job.run(lease)
    except LeaseLost:
        log.warning("job %s was taken over by another worker", lease.job_id)
    except Exception:
        log.exception("job %s failed (attempt %s); it will be tried again", *_of(lease))
        release(db, lease)
    return True


def work_until_idle(db: Database, jobs: Mapping[str, Job], seconds: float = LEASE_SECONDS) -> int:
    """Every job waiting now, worked on in this thread (the tests' worker, `katf jobs --once`)."""
    worker_id, done = worker_name(), 0
    while work_once(db, jobs, worker_id, seconds):
        done += 1
    return done


def run_worker(
    db: Database,
    jobs: Mapping[str, Job],
    stop: threading.Event,
    wake: threading.Event,
    seconds: float = LEASE_SECONDS,
    poll: float = POLL_SECONDS,
) -> None:
    """Works on jobs until ``stop``; looks for new ones every ``poll`` seconds or when woken."""
    worker_id = worker_name()
    log.info("job worker %s started", worker_id)
    while not stop.is_set():
        try:
            busy = work_once(db, jobs, worker_id, seconds)
        except Exception:
            log.exception("the job queue could not be read; trying again")
            busy = False
        if not busy:
            wake.wait(poll)
            wake.clear()


def queue_depth(db: Database) -> dict[str, int]:
    """Jobs not over, by state (queued, running)."""
    rows = db.query(
        "SELECT state, COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running') GROUP BY state"
    )
    return {row["state"]: row["n"] for row in rows}


def _of(lease: Lease) -> tuple[str, int]:
    return lease.job_id, lease.attempts
