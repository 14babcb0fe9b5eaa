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


class ResilientStore(Store):
    def __init__(self, primary: Store) -> None:
        self.primary, self.fallback = primary, MemoryStore()
        self._down_until = 0.0

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Redis first; every write also lands in this worker's memory, which answers while
        Redis is away (a worker then still knows the sessions it has seen)."""
        answer = None
        if time.monotonic() >= self._down_until:
            try:
                answer = await getattr(self.primary, method)(*args, **kwargs)
            except (RedisError, OSError) as error:
                log.warning("session store unavailable, using this worker's memory: %s", error)
                self._down_until = time.monotonic() + RETRY_SECONDS
            else:
                if answer or method not in ("get", "exists", "expires_in"):
                    await getattr(self.fallback, method)(*args, **kwargs)
                    return answer
        return await getattr(self.fallback, method)(*args, **kwargs)

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
