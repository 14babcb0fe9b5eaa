"""Live streams (server-sent events) grouped by what they watch: a change is written to every
stream of its group by one task, one stream after the other.

Every stream of a process that watches the same keys belongs to one group, which holds the
one watch on the channels (``projections/channels.py``) for all of them. The group's task
waits for a change, writes "changed" to each of its streams, then waits half a second (two
pushes a second at most: a page re-fetches its fragment when told); while nothing changes it
writes a comment every 15 seconds, so that proxies keep the connection. A stream's own task
only waits for its browser to go away. Ten thousand screens on one board are one wake-up per
change, not ten thousand, and a stream costs its connection and a small record.

A stream is followed once the framework is done with its request (``detached_streams``): the
head goes out through every middleware, then the request's parsed headers, cookies, session and
the frames of the middleware that answered it are let go of, and only the connection's
``receive`` and ``send`` stay with the stream.

A write the connection cannot take at once (a phone that stopped reading, whose buffers are
full) is finished in a task of its own, and that stream is passed over until it has been:
the others are never held up. If the notices stop (the channel broke), every stream of the
group ends: the pages poll, then reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from projections.channels import Channels
from web.platform.observability import SSE_CLIENTS

log = logging.getLogger(__name__)
# in a request's scope: the server follows streams after the framework's answer (DETACHABLE),
# and this stream is to be followed so (DETACHED)
DETACHABLE, DETACHED = "katf.detachable", "katf.live_stream"
CHANNELS_HEALTHY = "katf.channels_healthy"  # asked before the framework took the request up
LIVE_PATH = "/live"  # the live controller's (web/platform/live.py)
COALESCE_SECONDS = 0.5
HEARTBEAT_SECONDS = 15.0
# streams written before the group lets the loop run the rest (a request, another group's
# change): five thousand screens on a board take tens of milliseconds to write
WRITES_AT_A_TIME = 250
HEADERS = (
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),
)


def start() -> Message:
    """A stream's head, its own (the answer's hooks add their headers to it)."""
    return {"type": "http.response.start", "status": 200, "headers": list(HEADERS)}


def body(text: str, more: bool = True) -> Message:
    return {"type": "http.response.body", "body": text.encode(), "more_body": more}


# the same for every stream: nothing on the way out changes a body
READY = body("event: ready\ndata: live\nretry: 3000\n\n")
CHANGED = body("event: changed\ndata: changed\n\n")
STILL_HERE = body(": still here\n\n")
END = body("", more=False)


class Stream:
    """One browser's stream: what its group writes to it."""

    __slots__ = ("send", "ready", "ended", "writing", "ending")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.ready = False  # told "ready": changes are written from then on
        self.ended = False
        self.writing: asyncio.Future[Any] | None = None  # a write the connection could not take
        self.ending = False  # to end once that write is done

    def write(self, message: Message) -> None:
        """At once when the connection takes it, as it nearly always does; a stream still
        finishing its last write is passed over (a page told "changed" once re-fetches all)."""
        if self.ended or self.writing is not None:
            return
        sending = self.send(message)
        if not asyncio.iscoroutine(sending):  # an awaitable of another kind: awaited aside
            self._aside(asyncio.ensure_future(sending))
            return
        try:
            waiting = sending.send(None)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - the connection is gone: its own task hears of it
            return
        self._aside(asyncio.get_running_loop().create_task(_carry_on(sending, waiting)))

    def end(self) -> None:
        """The last write: the browser's stream closes (the page polls, then reconnects)."""
        if self.writing is not None:
            self.ending = True
            return
        self.write(END)
        self.ended = True

    def _aside(self, writing: asyncio.Future[Any]) -> None:
        self.writing = writing
        writing.add_done_callback(self._written)

    def _written(self, writing: asyncio.Future[Any]) -> None:
        if not writing.cancelled():
            writing.exception()  # read, so that a broken connection is not reported as lost
        self.writing = None
        if self.ending:
            self.ending = False
            self.end()


async def _carry_on(sending: Coroutine[Any, Any, Any], waiting: Any) -> None:
    """Runs a started coroutine on to its end, as a task would have: ``waiting`` is what it last
    gave up the loop for (the future it waits on, or None to let the others run first)."""
    try:
        while True:
            if waiting is None:
                await asyncio.sleep(0)
            else:
                waiting._asyncio_future_blocking = False  # taken up here, as a task does
                with contextlib.suppress(Exception):  # the coroutine reads the outcome itself
                    await waiting
            waiting = sending.send(None)
    except StopIteration:
        return
    except Exception:  # noqa: BLE001 - the connection is gone: its own task hears of it
        return
    finally:
        sending.close()


class Group:
    """The streams of one event loop that watch the same keys, and the task that writes to
    them."""

    def __init__(self, streams: LiveStreams, keys: frozenset[str]) -> None:
        self.keys = keys
        self.members: set[Stream] = set()
        self.watching = asyncio.Event()  # the watch is on (or the group has ended)
        self.ended = False
        self._streams = streams
        self._task = asyncio.get_running_loop().create_task(self._run())

    def leave(self, stream: Stream) -> None:
        self.members.discard(stream)
        if not self.members and not self.ended:
            self._streams.forget(self)  # a stream coming now starts a group of its own
            self._task.cancel()

    async def _write(self, message: Message) -> None:
        for n, stream in enumerate(list(self.members), start=1):
            if stream.ready:
                stream.write(message)
            if n % WRITES_AT_A_TIME == 0:
                await asyncio.sleep(0)

    async def _run(self) -> None:
        try:
            async with self._streams.channels.watch(set(self.keys)) as watch:
                self.watching.set()
                while not watch.broken:
                    try:
                        async with asyncio.timeout(HEARTBEAT_SECONDS):
                            await watch.changed.wait()
                    except TimeoutError:
                        await self._write(STILL_HERE)
                        continue
                    if watch.broken:
                        break
                    watch.changed.clear()
                    await self._write(CHANGED)
                    await asyncio.sleep(COALESCE_SECONDS)
        except Exception:  # noqa: BLE001 - its streams end below: the pages poll, then reconnect
            log.warning("live streams of %s ended", sorted(self.keys), exc_info=True)
        finally:
            self.ended = True
            self._streams.forget(self)
            self.watching.set()
            for stream in list(self.members):
                stream.end()


class LiveStreams:
    """The live streams a process serves, by event loop and the keys they watch."""

    def __init__(self, channels: Channels) -> None:
        self.channels = channels
        self._groups: dict[tuple[asyncio.AbstractEventLoop, frozenset[str]], Group] = {}

    async def answer(
        self, keys: frozenset[str], scope: Scope, receive: Receive, send: Send
    ) -> None:
        """The stream's head, through every middleware; the stream itself is followed by
        ``detached_streams`` once the framework has let go of the request (here, when the
        server has no such application)."""
        if not scope.get(DETACHABLE):
            await self.follow(keys, receive, send)
            return
        await send(start())
        scope[DETACHED] = partial(self.follow, keys, started=True)  # type: ignore[literal-required]

    async def follow(
        self, keys: frozenset[str], receive: Receive, send: Send, started: bool = False
    ) -> None:
        """Serves one browser's stream until it goes away or the notices stop."""
        if not started:
            await send(start())
        group = self._group(keys)
        stream = Stream(send)
        group.members.add(stream)
        SSE_CLIENTS.inc()
        try:
            await group.watching.wait()  # a change from now on reaches this stream
            if not stream.ended:
                stream.write(READY)
                stream.ready = True
            while (await receive())["type"] != "http.disconnect":
                pass
        finally:
            SSE_CLIENTS.dec()
            group.leave(stream)

    def groups(self) -> int:
        return len(self._groups)

    def forget(self, group: Group) -> None:
        key = (asyncio.get_running_loop(), group.keys)
        if self._groups.get(key) is group:
            del self._groups[key]

    def _group(self, keys: frozenset[str]) -> Group:
        key = (asyncio.get_running_loop(), keys)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = Group(self, keys)
        return group


def detached_streams(app: ASGIApp, live: Callable[[], LiveStreams | None]) -> ASGIApp:
    """The server's application: a live stream whose head the framework has answered is
    followed here, once the framework's middleware and handler have returned and let go of the
    request (its parsed headers, cookies and session, their frames): an idle stream keeps its
    connection and its small record. ``live``: the process's streams, once it has started.

    A stream's request waits for the channels (the process's subscription, opened by its first
    stream) before the framework takes it up: ten thousand screens reconnecting at once after
    a restart wait as bare connections, not as ten thousand parsed requests."""

    async def detaching(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        if scope["path"].rstrip("/") == LIVE_PATH and (streams := live()) is not None:
            scope[CHANNELS_HEALTHY] = await streams.channels.healthy()  # type: ignore[literal-required]
        following = await _answered(app, scope, receive, send)
        if following is not None:
            await following(receive, send)

    return detaching


async def _answered(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> Any:
    """What the stream answered is to follow, with everything the framework added to the
    scope for the request taken out of it again; None for any other request."""
    kept = len(scope)  # what the framework adds comes after: a dictionary keeps its order
    scope[DETACHABLE] = True  # type: ignore[literal-required]
    await app(scope, receive, send)
    following = scope.get(DETACHED)
    if following is not None:
        for name in list(scope)[kept:]:
            del scope[name]  # type: ignore[misc]
        scope.get("state", {}).clear()  # this request's own: the framework's parsed request
    return following
