"""Change notices from projections to live pages: "view V, keys K changed".

Without Redis the notices travel inside the process; with Redis they go through its
pub/sub, so projection workers and web workers may be separate processes. Publishing never
fails a projection: a notice lost while Redis is away only delays a page until it polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator
from typing import Protocol

log = logging.getLogger(__name__)
CHANNEL = "katf:changes"
SUBSCRIBE_SECONDS = 2.0

Notice = tuple[str, frozenset[str]]


class Channels(Protocol):
    def publish(self, view: str, keys: set[str]) -> None: ...
    def listen(self, keys: set[str]) -> AsyncIterator[Notice]: ...
    async def healthy(self) -> bool: ...


class InProcessChannels:
    def __init__(self) -> None:
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Notice]]] = set()
        self._lock = threading.Lock()

    def publish(self, view: str, keys: set[str]) -> None:
        notice = (view, frozenset(keys))
        with self._lock:
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, notice)
            except RuntimeError:
                continue

    async def healthy(self) -> bool:
        return True

    async def listen(self, keys: set[str]) -> AsyncIterator[Notice]:
        """The notices that name any of ``keys``."""
        queue: asyncio.Queue[Notice] = asyncio.Queue()
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.add(entry)
        try:
            while True:
                notice = await queue.get()
                if notice[1] & keys:
                    yield notice
        finally:
            with self._lock:
                self._subscribers.discard(entry)


class RedisChannels:
    """One subscription per process, shared by every live page it serves: a notice is read
    and decoded once, then handed to each page's queue. If the subscription breaks, every
    page's stream ends (the pages poll, then reconnect, which subscribes again)."""

    def __init__(self, url: str) -> None:
        import redis

        self.url = url
        self._publisher = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._relays: dict[asyncio.AbstractEventLoop, _Relay] = {}

    def publish(self, view: str, keys: set[str]) -> None:
        try:
            self._publisher.publish(CHANNEL, json.dumps([view, sorted(keys)]))
        except Exception as error:  # noqa: BLE001 - a lost notice must never stop a projection
            log.warning("change notice not published: %s", error)

    async def healthy(self) -> bool:
        """True once this process's subscription is up (opening it if need be): a thousand
        pages opening together share one subscription instead of a ping each."""
        loop = asyncio.get_running_loop()
        relay = self._relays.get(loop)
        if relay is None or relay.task.done():
            relay = self._relays[loop] = _Relay(self.url)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(relay.subscribed.wait()), SUBSCRIBE_SECONDS)
        if relay.subscribed.is_set() and not relay.task.done():
            return True
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(await client.ping())
        except Exception:  # noqa: BLE001 - any failure means "not now"
            return False
        finally:
            await client.aclose()

    async def listen(self, keys: set[str]) -> AsyncIterator[Notice]:
        """The notices that name any of ``keys``: the relay wakes only the pages concerned."""
        loop = asyncio.get_running_loop()
        relay = self._relays.get(loop)
        if relay is None or relay.task.done():
            relay = self._relays[loop] = _Relay(self.url)
        queue: asyncio.Queue[Notice | None] = asyncio.Queue()
        relay.add(queue, keys)
        try:
            while (notice := await queue.get()) is not None:
                yield notice
        finally:
            relay.remove(queue, keys)
            if not relay.queues and self._relays.get(loop) is relay:
                del self._relays[loop]  # nobody watches here any more
                relay.task.cancel()
        raise ConnectionError("change notices interrupted")


class _Relay:
    """Reads the channel for one event loop and hands each notice to every listener."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.queues: set[asyncio.Queue[Notice | None]] = set()
        self._by_key: dict[str, set[asyncio.Queue[Notice | None]]] = {}
        self.subscribed = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run())

    def add(self, queue: asyncio.Queue[Notice | None], keys: set[str]) -> None:
        self.queues.add(queue)
        for key in keys:
            self._by_key.setdefault(key, set()).add(queue)

    def remove(self, queue: asyncio.Queue[Notice | None], keys: set[str]) -> None:
        self.queues.discard(queue)
        for key in keys:
            watching = self._by_key.get(key, set())
            watching.discard(queue)
            if not watching:
                self._by_key.pop(key, None)

    async def _run(self) -> None:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(CHANNEL)
            self.subscribed.set()
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    view, keys = json.loads(message["data"])
                    notice = (view, frozenset(keys))
                    concerned = set().union(*(self._by_key.get(k, ()) for k in keys))
                    for queue in concerned:
                        queue.put_nowait(notice)
        except Exception as error:  # noqa: BLE001 - every listener ends and pages poll
            log.warning("change notices interrupted: %s", error)
        finally:
            for queue in list(self.queues):
                queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await pubsub.aclose()
                await client.aclose()


def channels_for(redis_url: str | None) -> Channels:
    return RedisChannels(redis_url) if redis_url else InProcessChannels()
