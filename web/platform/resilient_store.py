"""A session store that keeps working while Redis is away.

Sessions live in Redis so any worker serves any volunteer; each worker also keeps a copy of
the sessions it writes. If Redis stops answering, the worker answers from that copy until Redis
is back, rather than failing every request: a volunteer whose session another worker wrote may
have to sign in again, but nobody gets an error page.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
READS = ("get", "exists", "expires_in")
ENDED = "ended:"


class ResilientStore(Store):
    """``ended_for``: how long a session ended here stays ended for every worker (its
    tombstone in Redis), so that no worker's copy brings it back."""

    def __init__(self, primary: Store, ended_for: int) -> None:
        self.primary, self.fallback = primary, MemoryStore()
        self.ended_for = ended_for
        self._down_until = 0.0
        self._ended_while_away: set[str] = set()

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Redis first; every write also lands in this worker's memory, which answers while
        Redis is away (a worker then still knows the sessions it has seen). A session Redis
        does not know but this worker holds is handed back to Redis (Redis may have restarted
        empty), unless a tombstone says a worker ended it."""
        if time.monotonic() >= self._down_until:
            try:
                await self._end_those_ended_while_away()
                answer = await getattr(self.primary, method)(*args, **kwargs)
                if method in READS and not answer:
                    answer = await self._held_here(method, args[0])
                if method == "delete":
                    await self.primary.set(ENDED + args[0], b"1", expires_in=self.ended_for)
            except (RedisError, OSError) as error:
                log.warning("session store unavailable, using this worker's memory: %s", error)
                self._down_until = time.monotonic() + RETRY_SECONDS
            else:
                if method not in READS:
                    await getattr(self.fallback, method)(*args, **kwargs)
                return answer
        if method == "delete":
            self._ended_while_away.add(args[0])
        return await getattr(self.fallback, method)(*args, **kwargs)

    async def _held_here(self, method: str, key: str) -> Any:
        value = await self.fallback.get(key)
        if value is None:
            return await getattr(self.fallback, method)(key)
        if await self.primary.exists(ENDED + key):
            await self.fallback.delete(key)
            return None
        await self.primary.set(key, value, expires_in=await self.fallback.expires_in(key))
        return await getattr(self.fallback, method)(key)

    async def _end_those_ended_while_away(self) -> None:
        while self._ended_while_away:
            key = next(iter(self._ended_while_away))
            await self.primary.delete(key)
            await self.primary.set(ENDED + key, b"1", expires_in=self.ended_for)
            self._ended_while_away.discard(key)

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        await self._call("set", key, value, expires_in=expires_in)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        return await self._call("get", key, renew_for=renew_for)

    async def delete(self, key: str) -> None:
        await self._call("delete", key)

    async def delete_all(self) -> None:
        await self._call("delete_all")

    async def exists(self, key: str) -> bool:
        return await self._call("exists", key)

    async def expires_in(self, key: str) -> int | None:
        return await self._call("expires_in", key)
