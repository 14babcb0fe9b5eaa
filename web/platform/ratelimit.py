"""Counting failed attempts per key in a window: in Redis when configured, else in memory."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from redis.exceptions import RedisError

from coordination.errors import DomainError

log = logging.getLogger(__name__)


class TooManyAttempts(DomainError):
    code = "too_many_attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(minutes=max(1, (retry_after + 59) // 60))
        self.retry_after = retry_after


class TooManyReplays(TooManyAttempts):
    """The board's past asked for too often: each replay reads the log, so each person waits."""

    code = "too_many_replays"


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window: int


class Counter(Protocol):
    def count(self, key: str) -> tuple[int, int]: ...
    def add(self, key: str, window: int) -> None: ...
    def reset(self, key: str) -> None: ...


class MemoryCounter:
    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def count(self, key: str) -> tuple[int, int]:
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            left = expires - time.monotonic()
            return (count, int(left) + 1) if left > 0 else (0, 0)

    def add(self, key: str, window: int) -> None:
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            if expires <= time.monotonic():
                count, expires = 0, time.monotonic() + window
            self._counts[key] = (count + 1, expires)

    def reset(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class RedisCounter:
    """Counts in Redis; while Redis is away, in this worker's memory (limits still hold here)."""

    def __init__(self, url: str) -> None:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # Pooled connections are checked before use once idle a second, and a dropped one is
        # retried once on a new connection: a restarted Redis is used again at once.
        self._redis = redis.Redis.from_url(
            url,
            socket_timeout=1,
            socket_connect_timeout=1,
            health_check_interval=1,
            retry_on_timeout=True,
            retry=Retry(NoBackoff(), 1),
        )
        self._fallback = MemoryCounter()

    def count(self, key: str) -> tuple[int, int]:
        try:
            pipeline = self._redis.pipeline()
            pipeline.get(key)
            pipeline.ttl(key)
            count, ttl = pipeline.execute()
        except (RedisError, OSError):
            return self._fallback.count(key)
        local = self._fallback.count(key)
        return max((int(count or 0), max(int(ttl), 0)), local)

    def add(self, key: str, window: int) -> None:
        self._fallback.add(key, window)
        try:
            pipeline = self._redis.pipeline()
            pipeline.incr(key)
            pipeline.expire(key, window, nx=True)
            pipeline.execute()
        except (RedisError, OSError) as error:
            log.warning("rate-limit counter kept in memory only: %s", error)

    def reset(self, key: str) -> None:
        self._fallback.reset(key)
        with contextlib.suppress(RedisError, OSError):
            self._redis.delete(key)


class Limiter:
    def __init__(self, counter: Counter, prefix: str = "katf:limit:") -> None:
        self.counter, self.prefix = counter, prefix

    def check(self, checks: list[tuple[Rule, str]]) -> None:
        """Raises TooManyAttempts while any of the keys is over its rule's limit."""
        for rule, key in checks:
            count, left = self.counter.count(self._key(rule, key))
            if count >= rule.limit:
                raise TooManyAttempts(retry_after=max(left, 1))

    def count(self, rule: Rule, key: str) -> int:
        return self.counter.count(self._key(rule, key))[0]

    def record(self, checks: list[tuple[Rule, str]]) -> None:
        for rule, key in checks:
            self.counter.add(self._key(rule, key), rule.window)

    def reset(self, rule: Rule, key: str) -> None:
        self.counter.reset(self._key(rule, key))

    def _key(self, rule: Rule, key: str) -> str:
        return f"{self.prefix}{rule.name}:{key}"


def limiter_for(redis_url: str | None) -> Limiter:
    return Limiter(RedisCounter(redis_url) if redis_url else MemoryCounter())


SIGN_IN_PAIR = Rule("sign-in-pair", limit=5, window=15 * 60)
# A brake, not a lock: past it, only addresses that failed on the account wait (limits.py).
SIGN_IN_ACCOUNT = Rule("sign-in-account", limit=600, window=60 * 60)
SIGN_IN_ADDRESS = Rule("sign-in-address", limit=50, window=15 * 60)
REGISTER_ADDRESS = Rule("register-address", limit=100, window=60 * 60)
REGISTER_ACCOUNT = Rule("register-account", limit=5, window=60 * 60)
# Typos are not attempts on a phone: invalid registrations are only slowed per address.
REGISTER_INVALID = Rule("register-invalid-address", limit=300, window=60 * 60)
# The past board replays the log for every request: a few a minute per person.
PAST_BOARD = Rule("past-board", limit=5, window=60)
