"""The session store answers from the worker's copy while Redis is away."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar.stores.memory import MemoryStore
from redis.exceptions import ConnectionError as RedisConnectionError

from web.platform.resilient_store import ResilientStore


class FlakyRedis(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.down = False

    async def get(self, key: str, renew_for: Any = None) -> bytes | None:
        if self.down:
            raise RedisConnectionError("connection refused")
        return await super().get(key, renew_for)

    async def set(self, key: str, value: str | bytes, expires_in: Any = None) -> None:
        if self.down:
            raise RedisConnectionError("connection refused")
        await super().set(key, value, expires_in)

    async def delete(self, key: str) -> None:
        if self.down:
            raise RedisConnectionError("connection refused")
        await super().delete(key)

    async def exists(self, key: str) -> bool:
        if self.down:
            raise RedisConnectionError("connection refused")
        return await super().exists(key)


def test_sessions_survive_an_outage_and_writes_during_it() -> None:
    async def story() -> list[Any]:
        redis = FlakyRedis()
        store = ResilientStore(redis, ended_for=60)
        await store.set("before", b"signed in", expires_in=60)
        redis.down = True
        seen = [await store.get("before")]
        await store.set("during", b"new", expires_in=60)
        seen.append(await store.get("during"))
        redis.down = False
        store._down_until = 0
        seen.append(await store.get("during"))
        seen.append(await redis.get("before"))
        return seen

    assert asyncio.run(story()) == [b"signed in", b"new", b"new", b"signed in"]


async def two_workers_holding_a_session(redis: FlakyRedis) -> list[ResilientStore]:
    """Both wrote the session (signed in through one, renewed through the other): each keeps
    a copy."""
    workers = [ResilientStore(redis, ended_for=60), ResilientStore(redis, ended_for=60)]
    for worker in workers:
        await worker.set("session", b"signed in", expires_in=60)
    return workers


def test_a_session_ended_by_another_worker_is_not_revived_by_this_ones_copy() -> None:
    async def story() -> list[Any]:
        redis = FlakyRedis()
        signing_in, renewing = await two_workers_holding_a_session(redis)
        await signing_in.delete("session")  # signed out through the first worker
        return [await renewing.get("session"), await renewing.exists("session")]

    assert asyncio.run(story()) == [None, False]


def test_a_redis_restarted_empty_gets_back_the_sessions_a_worker_holds() -> None:
    async def story() -> list[Any]:
        redis = FlakyRedis()
        store = ResilientStore(redis, ended_for=60)
        await store.set("session", b"signed in", expires_in=60)
        await redis.delete_all()  # restarted without its data
        return [await store.get("session"), await redis.get("session")]

    assert asyncio.run(story()) == [b"signed in", b"signed in"]


def test_a_session_ended_while_redis_was_away_stays_ended_for_every_worker() -> None:
    async def story() -> list[Any]:
        redis = FlakyRedis()
        signing_out, other = await two_workers_holding_a_session(redis)
        redis.down = True
        await signing_out.delete("session")
        redis.down = False
        signing_out._down_until = 0
        await signing_out.get("anything")  # Redis answers again: the sign-out reaches it
        return [await other.get("session"), await redis.get("session")]

    assert asyncio.run(story()) == [None, None]
