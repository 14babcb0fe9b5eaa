"""Server-sent events: "this view changed", coalesced to at most two a second per browser.

The page re-fetches its fragment from the read model when told; if the stream fails, the
page polls instead (``web/static/live.js``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import PermissionDeniedException, ServiceUnavailableException
from litestar.params import FromQuery
from litestar.response import Response, ServerSentEvent
from litestar.response.sse import ServerSentEventMessage

from web.platform.auth import actor_of, resolved_actor, services_of
from web.platform.guards import requires_sign_in
from web.platform.observability import SSE_CLIENTS
from web.platform.render import page

COALESCE_SECONDS = 0.5
HEARTBEAT_SECONDS = 15.0
# Events of the log a view may lag before its board says so: a rush's batches stay below it.
BEHIND_EVENTS = 2_000


@contextlib.asynccontextmanager
async def following() -> AsyncIterator[None]:
    SSE_CLIENTS.inc()
    try:
        yield
    finally:
        SSE_CLIENTS.dec()


async def changes(request: Request[Any, Any, Any], wanted: set[str]) -> AsyncIterator[Any]:
    """The stream ends when the notices stop: the page then polls and reconnects."""
    async with services_of(request).channels.watch(wanted) as watch, following():
        yield ServerSentEventMessage(event="ready", data="live", retry=3000)
        while not watch.broken:
            try:
                async with asyncio.timeout(HEARTBEAT_SECONDS):
                    await watch.changed.wait()
            except TimeoutError:
                yield ServerSentEventMessage(comment="still here")
                continue
            if watch.broken:
                break
            watch.changed.clear()
            yield ServerSentEventMessage(event="changed", data="changed")
            await asyncio.sleep(COALESCE_SECONDS)


class Live(Controller):
    path = "/live"
    guards = [requires_sign_in]

    @get("/")
    async def stream(
        self, request: Request[Any, Any, Any], key: FromQuery[list[str]]
    ) -> ServerSentEvent:
        """503 while the channel is down, so the browser never sees a stream open and die."""
        if (await resolved_actor(request)).account_id is None:  # a desk does desk work only
            raise PermissionDeniedException("for people signed in")
        if not await services_of(request).channels.healthy():
            raise ServiceUnavailableException("live updates are interrupted")
        return ServerSentEvent(
            changes(request, set(key[:10])),
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    @get("/behind", sync_to_thread=True)
    def behind(
        self, request: Request[Any, Any, Any], view: FromQuery[list[str] | None] = None
    ) -> Response[str]:
        """ "This board is behind" while a view the board reads lags or has stalled; empty
        otherwise (the page asks again every few seconds and on every change)."""
        if actor_of(request).account_id is None:  # a desk device does desk work only
            raise PermissionDeniedException("for people signed in")
        wanted = set((view or [])[:10])
        states = [s for s in services_of(request).runner.states() if s.name in wanted]
        stalled = any(s.stalled for s in states)
        lagging = any(s.behind(BEHIND_EVENTS) for s in states)
        return page(request, "_behind.html", stalled=stalled, lagging=lagging)
