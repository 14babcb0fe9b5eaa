"""An idempotency key and the fingerprint of the one request it stands for.

A client's key names one request (IETF Idempotency-Key draft): the same key with the same
body is a retry, answered as the first time; with another body it is refused. The key's
record is an aggregate of its own, created in the same atomic write as the events of the
request it first came with, so the record and what was recorded can never disagree."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, RuleViolation
from coordination.fingerprints import stable_id

IN_FLIGHT_RETRY_AFTER = 1  # seconds: a request is decided within milliseconds


def fingerprint(*fields: object) -> str:
    """A short hash of a request's meaningful fields (plain values: ids, counts, text, times)."""
    return hashlib.blake2b(repr(fields).encode(), digest_size=8).hexdigest()


class IdempotencyKey(Aggregate):
    """``scope`` is where the key is unique: the site, point, kitchen, batch or truckload the
    request is made at, whatever it is about."""

    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Recorded: ClassVar[type[Aggregate.Event]]

    shelved: ClassVar[bool] = False  # read again when replayed: not worth the batcher's shelf

    @staticmethod
    def create_id(scope: UUID, key: str) -> UUID:
        return stable_id("idempotency-key", str(scope), key)

    @event("Recorded")
    def __init__(self, scope: UUID, key: str, fingerprint: str) -> None:
        self.scope, self.key, self.fingerprint = scope, key, fingerprint

    def require_same(self, fingerprint: str) -> None:
        if fingerprint != self.fingerprint:
            raise IdempotencyKeyReused()


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"


class IdempotencyKeyInFlight(RuleViolation):
    code = "idempotency_key_in_flight"
    retry_after = IN_FLIGHT_RETRY_AFTER
