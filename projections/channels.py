"""Change notices from projections to live pages: "view V, keys K changed".

A live page watches a few keys: its watch is flagged when a notice names one of them (many
notices before the page looks flag it once; nothing queues up per page).

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
from contextlib import asynccontextmanager
from typing import Any, Protocol, cast

log = logging.getLogger(__name__)
CHANNEL = "katf:changes"
SUBSCRIBE_SECONDS = 2.0


class Watch:
    """A live page's flag: ``changed`` is set when a notice names one of its keys, and for good
    once notices stop coming (``broken``: the page then polls and reconnects)."""

    def __init__(self, keys: set[str]) -> None:
        self.keys = frozenset(keys)
        self.changed = asyncio.Event()
        self.broken = False

    def end(self) -> None:
        self.broken = True
        self.changed.set()


class Channels(Protocol):
    def publish(self, view: str, keys: set[str]) -> None: ...
    def watch(self, keys: set[str]) -> contextlib.AbstractAsyncContextManager[Watch]: ...
    async def healthy(self) -> bool: ...


class InProcessChannels:
    def __init__(self) -> None:
        self._watches: set[tuple[asyncio.AbstractEventLoop, Watch]] = set()
        self._lock = threading.Lock()

    def publish(self, view: str, keys: set[str]) -> None:
        """From any thread: each concerned watch is flagged in its own event loop."""
        by_loop: dict[asyncio.AbstractEventLoop, list[Watch]] = {}
        with self._lock:
            for loop, watch in self._watches:
                if not watch.keys.isdisjoint(keys):
                    by_loop.setdefault(loop, []).append(watch)
        for loop, watches in by_loop.items():
            with contextlib.suppress(RuntimeError):  # its loop has closed
                loop.call_soon_threadsafe(_flag, watches)

    async def healthy(self) -> bool:
        return True

    @asynccontextmanager
    async def watch(self, keys: set[str]) -> AsyncIterator[Watch]:
        entry = (asyncio.get_running_loop(), Watch(keys))
        with self._lock:
            self._watches.add(entry)
        try:
            yield entry[1]
        finally:
            with self._lock:
                self._watches.discard(entry)


class RedisChannels:
    """One subscription per process, shared by every live page it serves: a notice is read
    and decoded once, then flags the watches of the pages concerned. If the subscription
    breaks, every page's stream ends (the pages poll, then reconnect, which subscribes again)."""

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
        relay = self._relay()
        if relay.up:
            return True  # as nearly always: answered without waiting on anything
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(relay.subscribed.wait()), SUBSCRIBE_SECONDS)
        if relay.up:
            return True
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(await client.ping())
        except Exception:  # noqa: BLE001 - any failure means "not now"
            return False
        finally:
            await client.aclose()

    @asynccontextmanager
    async def watch(self, keys: set[str]) -> AsyncIterator[Watch]:
        relay, watch = self._relay(), Watch(keys)
        relay.add(watch)
        try:
            yield watch
        finally:
            relay.remove(watch)
            loop = asyncio.get_running_loop()
            if not relay.watches and self._relays.get(loop) is relay:
                del self._relays[loop]  # nobody watches here any more
                relay.task.cancel()

    def _relay(self) -> _Relay:
        """This event loop's relay, started again if its subscription ended."""
        loop = asyncio.get_running_loop()
        relay = self._relays.get(loop)
        if relay is None or relay.task.done():
            relay = self._relays[loop] = _Relay(self.url)
        return relay


class _Relay:
    """Reads the channel for one event loop and flags the watches a notice concerns."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.watches: set[Watch] = set()
        self._by_key: dict[str, set[Watch]] = {}
        self.subscribed = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run())

    @property
    def up(self) -> bool:
        """Subscribed, and still reading."""
        return self.subscribed.is_set() and not self.task.done()

    def add(self, watch: Watch) -> None:
        if self.task.done():
            watch.end()
        self.watches.add(watch)
        for key in watch.keys:
            self._by_key.setdefault(key, set()).add(watch)

    def remove(self, watch: Watch) -> None:
        self.watches.discard(watch)
        for key in watch.keys:
            watching = self._by_key.get(key, set())
            watching.discard(watch)
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
                    _view, keys = json.loads(message["data"])
                    for key in keys:
                        for watch in self._by_key.get(key, ()):
                            watch.changed.set()
        except Exception as error:  # noqa: BLE001 - every listener ends and pages poll
            log.warning("change notices interrupted: %s", error)
        finally:
            for watch in list(self.watches):
                watch.end()
            with contextlib.suppress(Exception):
                await cast(Any, pubsub).aclose()  # annotated in some redis releases, not in others
                await client.aclose()


def _flag(watches: list[Watch]) -> None:
    for watch in watches:
        watch.changed.set()


def channels_for(redis_url: str | None) -> Channels:
    return RedisChannels(redis_url) if redis_url else InProcessChannels()
