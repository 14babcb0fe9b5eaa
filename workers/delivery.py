"""The delivery worker: claims the outbox's due messages, sends each through its channel's
gateway and records what became of it, with retries, backoff and a dead letter.

A claim is a lease: a worker that dies holding messages leaves them to be claimed again
once the lease runs out. Messages sent one at a time are recorded as sent ten to a commit
(``RECORDED_TOGETHER``): a commit for each would cost the database more than the rest of
a sign-up's messages together, and a crash can then repeat at most the ten in flight. Each
message's key goes to the gateway as the request's reference (``Idempotency-Key``,
``Message-ID``), with which the gateway drops the repeat.

With ``concurrency`` above one, a batch's messages go to their gateways side by side and
those taken are recorded together in one commit after the batch: a crash can then repeat the
batch in flight (each under its reference, dropped by the gateway as a repeat), and the
sending no longer waits on one gateway answer at a time.

Sign-ups first: while the log grows in a burst (a shift's places opening to thousands at
once), the worker sends only urgent messages (password codes) for up to ``give_way``, then
as long again at full rate before it may give way again, so a message waits at most that
long for a burst however long it lasts. The burst's work stays with its sign-ups, whose
confirmations are in each volunteer's inbox at once; the messages go when it has passed."""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, Protocol

from coordination.calendar import from_utc_text, local, utc_text
from projections.database import Database
from projections.personal import Sealer
from projections.reminders import REMINDERS, remind, still_holds

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8  # a message refused, or failing to render, this often is dead
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
BATCH = 100
INTERVAL_SECONDS = 1.0
CONCURRENCY = 1  # messages sent at once
RECORDED_TOGETHER = 10  # one at a time, this many are sent, then recorded in one commit
CLAIMED_PER_SENDER = 8  # side by side, a round claims this many for each sender (BATCH at least)
EXPIRE_EVERY = timedelta(seconds=30)  # marking what expired reads every pending message
# no one gets more than this many messages an hour by one channel (urgent ones aside): a
# flood of changes waits, and goes on as the hour's first ones age
PER_RECIPIENT_PER_HOUR = 20
GIVE_WAY = timedelta(seconds=30)  # the longest a burst of the log holds the messages back
BURST_EVENTS_PER_SECOND = 300  # the log growing this fast is a burst
BURST_MEASURED_OVER = timedelta(seconds=1)

Render = Callable[[str, Mapping[str, str], str], str]
QuietHours = tuple[int, int] | None


def in_quiet_hours(at: datetime, quiet: QuietHours) -> bool:
    """Within the quiet hours, Cairo time (``(23, 8)``: from 23:00 to 08:00)."""
    if quiet is None:
        return False
    clock, start, end = local(at).time(), time(quiet[0]), time(quiet[1])
    return start <= clock < end if start < end else clock >= start or clock < end


@dataclass(frozen=True)
class Outgoing:
    key: str
    channel: str
    destination: str
    kind: str
    text: str


class GatewayError(Exception):
    """The gateway did not take the message; it is tried again later. A passing failure (the
    gateway down, busy or slow) is tried again until the message expires, however many times;
    a ``permanent`` one (the gateway refused this message itself: a number it cannot send to)
    at most ``MAX_ATTEMPTS`` times, then the message is dead."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Gateway(Protocol):
    def send(self, message: Outgoing) -> None: ...


class Burst:
    """Whether the messages give way to a burst of the log now: measured from the log's head
    (its last notification's id) at most once a ``BURST_MEASURED_OVER``; ``give_way`` at a
    time, then as long again without (a long burst's messages are sent in its middle)."""

    def __init__(
        self,
        head: Callable[[], int],
        give_way: timedelta = GIVE_WAY,
        events_per_second: float = BURST_EVENTS_PER_SECOND,
    ) -> None:
        self.head, self.give_way, self.events_per_second = head, give_way, events_per_second
        self.measured: tuple[datetime, int] | None = None
        self.bursting = False
        self.since: datetime | None = None  # when giving way began
        self.rested_until: datetime | None = None  # no giving way again before

    def giving_way(self, now: datetime) -> bool:
        if self.give_way <= timedelta(0):
            return False
        self._measure(now)
        if not self.bursting:
            self.since = None
            return False
        if self.since is None:
            if self.rested_until is not None and now < self.rested_until:
                return False
            self.since = now
            log.info("the log is bursting: messages other than urgent ones wait")
        if now - self.since < self.give_way:
            return True
        self.since, self.rested_until = None, now + self.give_way
        log.info("messages sent again, the log still bursting")
        return False

    def _measure(self, now: datetime) -> None:
        last = self.measured
        if last is not None and timedelta(0) <= now - last[0] < BURST_MEASURED_OVER:
            return
        head = self.head()
        if last is not None and now > last[0]:
            events_per_second = (head - last[1]) / (now - last[0]).total_seconds()
            self.bursting = events_per_second >= self.events_per_second
        self.measured = (now, head)


class Deliverer:
    def __init__(
        self,
        db: Database,
        sealer: Sealer,
        gateways: Mapping[str, Gateway],
        render: Render,
        quiet: QuietHours = (23, 8),
        lease: timedelta = LEASE,
        concurrency: int | None = None,
        per_recipient: int = PER_RECIPIENT_PER_HOUR,
        burst: Burst | None = None,
    ) -> None:
        self.db, self.sealer, self.gateways, self.render = db, sealer, gateways, render
        self.burst = burst
        self.quiet, self.lease, self.per_recipient = quiet, lease, per_recipient
        self.concurrency = concurrency or CONCURRENCY
        self.pool = ThreadPoolExecutor(self.concurrency) if self.concurrency > 1 else None
        self.expired_at: datetime | None = None

    def round(self, now: datetime | None = None) -> dict[str, int]:
        """One pass: reminders planned, stale messages expired, due ones sent (a batch)."""
        now = now or datetime.now(UTC)
        outcome = {"reminded": self.remind(now), "sent": 0, "failed": 0, "held": 0}
        if not self.anything_due(now):  # most rounds: no write, so no lock taken
            return outcome
        outcome["expired"] = 0
        if self.expired_at is None or not self.expired_at <= now < self.expired_at + EXPIRE_EVERY:
            # now and then, not each round (a claim passes over the expired in between)
            outcome["expired"], self.expired_at = self.expire(now), now
        if self.pool is not None:
            limit = max(BATCH, self.concurrency * CLAIMED_PER_SENDER)
            (claimed, outcome["held"]), together = self.claim(now, limit), limit
        else:
            (claimed, outcome["held"]), together = self.claim(now), RECORDED_TOGETHER
        for start in range(0, len(claimed), together):
            group = claimed[start : start + together]
            sent, failed = self.deliver_together(group, now)
            outcome["sent"] += sent
            outcome["failed"] += failed
        return outcome

    def remind(self, now: datetime) -> int:
        """The reminders due by now written to the outbox (its reminder round)."""
        return remind(self.db, self.sealer, now)

    def anything_due(self, now: datetime) -> bool:
        moment = utc_text(now)
        with self.db.transaction() as cursor:
            self._read_by_index(cursor)
            cursor.execute(
                "SELECT 1 FROM outbox_messages WHERE status = 'pending'"
                " AND (due_at <= %s OR expires_at <= %s) LIMIT 1",
                (moment, moment),
            )
            return cursor.fetchone() is not None

    def _read_by_index(self, cursor: Any) -> None:
        """The transaction's statements read the outbox by its indexes, planned as they run
        (every transaction of the worker's).
        Without the table's statistics (an outbox grown faster than the server analyzes it)
        the server guesses a handful of due messages, and reads every due one to sort them
        (51 ms a claim among 50,000 due against 0.7 by the index, in due order, stopping at
        the batch); and a statement the driver has prepared keeps the plan chosen once, on
        the outbox as it was then (a small one, read whole: then a grown one, read whole)."""
        if self.db.dialect == "postgres":
            cursor.execute(
                "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
                " set_config('enable_seqscan', 'off', true),"
                " set_config('enable_bitmapscan', 'off', true)"
            )

    def expire(self, now: datetime) -> int:
        with self.db.transaction() as cursor:
            self._read_by_index(cursor)
            cursor.execute(
                "UPDATE outbox_messages SET status = 'expired', claimed_until = NULL"
                " WHERE status = 'pending' AND expires_at <= %s",
                (utc_text(now),),
            )
            return int(cursor.rowcount)

    def claim(self, now: datetime, limit: int = BATCH) -> tuple[list[dict[str, Any]], int]:
        """Due messages no live lease holds (in the quiet hours only urgent ones), oldest
        first, leased to this worker; those whose recipients have had their hour's share by
        the channel are not taken but put off until the share frees (urgent ones go
        whatever). A held-back message is so looked at once per freed share, not at every
        round: a flood to a few recipients never slows the claims of everyone else's.
        Returns the messages taken and how many were put off."""
        quiet = " AND urgent = 1" if self.urgent_only(now) else ""
        skip = " FOR UPDATE SKIP LOCKED" if self.db.dialect == "postgres" else ""
        moment = utc_text(now)
        with self.db.transaction() as cursor:
            self._read_by_index(cursor)
            cursor.execute(
                "SELECT message_key, recipient_id, channel, kind, destination, params, locale,"
                " urgent, attempts, due_at FROM outbox_messages WHERE status = 'pending'"
                " AND due_at <= %s AND expires_at > %s"
                " AND (claimed_until IS NULL OR claimed_until <= %s)"
                + quiet
                + " ORDER BY due_at LIMIT %s"
                + skip,
                (moment, moment, moment, limit),
            )
            # oldest first, whatever order the rows came in
            due = sorted(cursor.fetchall(), key=lambda row: (row["due_at"], row["message_key"]))
            taken, held = self._within_share(cursor, due, now)
            for until, keys in held.items():
                cursor.execute(
                    "UPDATE outbox_messages SET due_at = %s WHERE message_key IN ("
                    + ", ".join(["%s"] * len(keys))
                    + ")",
                    (until, *keys),
                )
            if taken:
                cursor.execute(
                    "UPDATE outbox_messages SET claimed_until = %s, attempts = attempts + 1"
                    " WHERE message_key IN (" + ", ".join(["%s"] * len(taken)) + ")",
                    (utc_text(now + self.lease), *(row["message_key"] for row in taken)),
                )
        put_off = sum(len(keys) for keys in held.values())
        return [{**row, "attempts": int(row["attempts"]) + 1} for row in taken], put_off

    def urgent_only(self, now: datetime) -> bool:
        """In the quiet hours, or giving way to a burst of the log."""
        return in_quiet_hours(now, self.quiet) or (
            self.burst is not None and self.burst.giving_way(now)
        )

    def _within_share(
        self, cursor: Any, rows: list[dict[str, Any]], now: datetime
    ) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
        """The rows whose recipients may still be sent them this hour, and the others by
        when their share frees: an hour after the oldest message the hour counts (after
        those taken now, when none was sent yet)."""
        pairs = sorted({(r["recipient_id"], r["channel"]) for r in rows if not r["urgent"]})
        if not pairs:
            return rows, {}
        # each pair counted by its own range of the sent messages' index, read once
        cursor.execute(
            "SELECT v.column1 AS recipient_id, v.column2 AS channel,"
            " COUNT(s.message_key) AS n, MIN(s.sent_at) AS first"
            " FROM (VALUES " + ", ".join(["(%s, %s)"] * len(pairs)) + ") AS v"
            " LEFT JOIN outbox_messages s ON s.status = 'sent' AND s.recipient_id = v.column1"
            " AND s.channel = v.column2 AND s.sent_at > %s"
            " GROUP BY v.column1, v.column2",
            (
                *(value for pair in pairs for value in pair),
                utc_text(now - timedelta(hours=1)),
            ),
        )
        sent: Counter[tuple[str, str]] = Counter()
        frees: dict[tuple[str, str], str] = {}
        for row in cursor.fetchall():
            if int(row["n"]):
                pair = (row["recipient_id"], row["channel"])
                sent[pair] = int(row["n"])
                frees[pair] = utc_text(from_utc_text(row["first"]) + timedelta(hours=1))
        taken: list[dict[str, Any]] = []
        held: dict[str, list[str]] = {}
        for row in rows:
            pair = (row["recipient_id"], row["channel"])
            if row["urgent"] or sent[pair] < self.per_recipient:
                sent[pair] += 1
                taken.append(row)
            else:
                until = frees.get(pair) or utc_text(now + timedelta(hours=1))
                held.setdefault(until, []).append(row["message_key"])
        return taken, held

    def outgoing(self, row: Mapping[str, Any]) -> Outgoing:
        params = json.loads(self.sealer.unseal(row["params"]))
        return Outgoing(
            row["message_key"],
            row["channel"],
            self.sealer.unseal(row["destination"]),
            row["kind"],
            self.render(row["kind"], params, row["locale"]),
        )

    def deliver_together(self, rows: list[dict[str, Any]], now: datetime) -> tuple[int, int]:
        """The messages sent (side by side with a pool of senders, else one after another);
        what the gateways took recorded in one commit, with what they refused. Returns the
        messages sent and not sent."""
        ready: list[tuple[Outgoing | None, Mapping[str, Any], str]] = []
        for row in rows:
            if row["kind"] in REMINDERS and not still_holds(self.db, row["message_key"]):
                self.later([row["message_key"]], now)
                ready.append((None, row, "later"))
                continue
            try:
                ready.append((self.outgoing(row), row, ""))
            except Exception as error:  # a rendering failure: retried, then dead
                ready.append((None, row, f"{type(error).__name__}: {error}"))

        def send(message: Outgoing | None) -> tuple[str, bool]:
            """What went wrong ('' when the gateway took it), and whether it may pass."""
            if message is None:
                return "", False
            try:
                self.gateways[message.channel].send(message)
            except GatewayError as failure:
                return str(failure), not failure.permanent
            except Exception as failure:  # anything else: retried, then dead
                return f"{type(failure).__name__}: {failure}", False
            return "", False

        messages = [message for message, _, _ in ready]
        outcomes = list((self.pool.map if self.pool is not None else map)(send, messages))
        taken = [
            m.key for (m, _, _), (out, _) in zip(ready, outcomes, strict=True) if m and not out
        ]
        with self.db.transaction() as cursor:
            self._read_by_index(cursor)
            if taken:
                cursor.execute(
                    "UPDATE outbox_messages SET status = 'sent', sent_at = %s,"
                    " claimed_until = NULL WHERE message_key IN ("
                    + ", ".join(["%s"] * len(taken))
                    + ")",
                    (utc_text(datetime.now(UTC)), *taken),
                )
            for (message, claimed, problem), (out, passing) in zip(ready, outcomes, strict=True):
                if problem != "later" and (message is None or out):
                    key, attempts = claimed["message_key"], int(claimed["attempts"])
                    self._failed(cursor, key, attempts, now, problem or out, passing)
        return len(taken), len(rows) - len(taken)

    def later(self, keys: list[str], now: datetime) -> None:
        """Not sent and not counted as an attempt: looked at again in a minute (a reminder
        until it expires at the shift's start)."""
        if not keys:
            return
        with self.db.transaction() as cursor:
            self._read_by_index(cursor)
            cursor.execute(
                "UPDATE outbox_messages SET due_at = %s, claimed_until = NULL,"
                " attempts = attempts - 1 WHERE message_key IN ("
                + ", ".join(["%s"] * len(keys))
                + ")",
                (utc_text(now + timedelta(minutes=1)), *keys),
            )

    @staticmethod
    def _failed(
        cursor: Any, key: str, attempts: int, now: datetime, error: str, passing: bool = False
    ) -> None:
        """Tried again after a wait that doubles with each attempt; dead after ``MAX_ATTEMPTS``
        unless the failure was ``passing`` (the gateway down or busy: it then expires with its
        news)."""
        dead = attempts >= MAX_ATTEMPTS and not passing
        # the doubling stops long past the longest wait: a passing failure has no last attempt
        retry_at = now + min(FIRST_RETRY * 2 ** min(attempts - 1, 16), LONGEST_WAIT)
        log.warning(
            "message %s failed (attempt %s%s): %s",
            key,
            attempts,
            ", given up" if dead else "",
            error,
        )
        cursor.execute(
            "UPDATE outbox_messages SET status = %s, due_at = %s, claimed_until = NULL,"
            " last_error = %s WHERE message_key = %s",
            ("dead" if dead else "pending", utc_text(retry_at), error[:500], key),
        )


def run_delivery(
    deliverer: Deliverer, stop: threading.Event, interval: float = INTERVAL_SECONDS
) -> None:
    """Rounds until stopped; a full batch is followed at once by the next."""
    while not stop.is_set():
        try:
            outcome = deliverer.round()
        except Exception:
            log.exception("delivery round failed; trying again")
            outcome = {"sent": 0, "failed": 0, "held": 0}
        if outcome["sent"] + outcome["failed"] + outcome["held"] < BATCH:
            stop.wait(interval)


def statuses(db: Database) -> dict[str, int]:
    rows = db.query("SELECT status, COUNT(*) AS n FROM outbox_messages GROUP BY status")
    return {row["status"]: int(row["n"]) for row in rows}
