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


class ResilientStore(Store):
    def __init__(self, primary: Store) -> None:
        self.primary, self.fallback = primary, MemoryStore()
        self._down_until = 0.0
        self._only_here: set[str | None] = set()  # written while Redis was away

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Redis first; every write also lands in this worker's memory, which answers while
        Redis is away (a worker then still knows the sessions it has seen). Once Redis is
        back it is believed, even about a session this worker still holds (another worker
        may have ended it), except for sessions written while it was away: those are handed
        to Redis when next read."""
        key = args[0] if args else None
        if time.monotonic() >= self._down_until:
            try:
                answer = await getattr(self.primary, method)(*args, **kwargs)
            except (RedisError, OSError) as error:
                log.warning("session store unavailable, using this worker's memory: %s", error)
                self._down_until = time.monotonic() + RETRY_SECONDS
            else:
                if method not in READS:
                    await getattr(self.fallback, method)(*args, **kwargs)
                    if key is None:
                        self._only_here.clear()  # delete_all
                    self._only_here.discard(key)
                elif not answer and key in self._only_here:
                    return await self._hand_over(method, key)
                return answer
        if method == "set":
            self._only_here.add(key)
        return await getattr(self.fallback, method)(*args, **kwargs)

    async def _hand_over(self, method: str, key: str) -> Any:
        """A session written while Redis was away, written to Redis now."""
        self._only_here.discard(key)
        value = await self.fallback.get(key)
        if value is not None:
            await self.primary.set(key, value, expires_in=await self.fallback.expires_in(key))
        return await getattr(self.fallback, method)(key)

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
