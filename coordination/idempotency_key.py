"""An idempotency key and the fingerprint of the one request it stands for.

A client's key names one request (IETF Idempotency-Key draft): the same key with the same
body is a retry, answered as the first time; with another body it is refused. The key's
record (``KeyRecord``) is a row of the store's key table, written in the same transaction as
the events of the request it first came with, so the record and what was recorded can never
disagree. Earlier releases kept each record as an aggregate of its own (``IdempotencyKey``):
its events stay in the log, and a migration copied them into the key table."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, RuleViolation
from coordination.fingerprints import stable_id

IN_FLIGHT_RETRY_AFTER = 1  # seconds: a request is decided within milliseconds


def fingerprint(*fields: object) -> str:
    """A short hash of a request's meaningful fields (plain values: ids, counts, text, times)."""
    return hashlib.blake2b(repr(fields).encode(), digest_size=8).hexdigest()


def key_record_id(scope: UUID, key: str) -> UUID:
    """``scope`` is where the key is unique: the site, point, kitchen, batch or truckload the
    request is made at, whatever it is about."""
    return stable_id("idempotency-key", str(scope), key)


@dataclass
class KeyRecord:
    """A key's record. A decision that creates one (``new``) has it saved with its aggregates:
    ``Store.save`` hands it to the recorder, which writes it in the events' transaction (the
    key recorded already there refuses the write, as an aggregate's version does)."""

    id: UUID
    fingerprint: str
    new: bool = False

    shelved: ClassVar[bool] = False  # read for each request: not kept on the batcher's shelf

    @property
    def pending_events(self) -> bool:
        """What the dispatcher asks of what a decision changed: a new record is to be saved."""
        return self.new

    def require_same(self, fingerprint: str) -> None:
        if fingerprint != self.fingerprint:
            raise IdempotencyKeyReused()


class IdempotencyKey(Aggregate):
    """A key's record as earlier releases kept it, in the log (events are forever: the class
    stays so that they are read, by the migration that copied them into the key table)."""

    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Recorded: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(scope: UUID, key: str) -> UUID:
        return key_record_id(scope, key)

    @event("Recorded")
    def __init__(self, scope: UUID, key: str, fingerprint: str) -> None:
        self.scope, self.key, self.fingerprint = scope, key, fingerprint


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"


class IdempotencyKeyInFlight(RuleViolation):
    code = "idempotency_key_in_flight"
    retry_after = IN_FLIGHT_RETRY_AFTER
