"""Bounded retries of a command whose events lost an optimistic-concurrency race."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar
from weakref import WeakValueDictionary

from eventsourcing.persistence import IntegrityError, OperationalError

from coordination.errors import RuleViolation

T = TypeVar("T")

MAX_ATTEMPTS = 30


class KeyedLocks:
    """One lock per key, so commands on one aggregate queue up inside a process."""

    def __init__(self) -> None:
        self._locks: WeakValueDictionary[Hashable, threading.Lock] = WeakValueDictionary()
        self._guard = threading.Lock()

    def __call__(self, key: Hashable) -> threading.Lock:
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.Lock()
            return lock


def retrying(command: Callable[[], T], attempts: int = MAX_ATTEMPTS) -> T:
    """Runs the command again, from a fresh load, while another writer beat it."""
    for attempt in range(attempts):
        try:
            return command()
        except (IntegrityError, OperationalError):
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
    raise TooBusy(attempts=attempts)


class TooBusy(RuleViolation):
    code = "too_busy"
