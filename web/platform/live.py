"""Server-sent events: "this view changed", coalesced to at most two a second per browser.

The page re-fetches its fragment from the read model when told; if the stream fails, the
page polls instead (``web/static/live.js``). The streams are written by their groups
(``web/platform/streams.py``).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import PermissionDeniedException, ServiceUnavailableException
from litestar.params import FromQuery
from litestar.response import Response
from litestar.types import ASGIApp, Receive, Scope, Send

from web.platform.auth import actor_of, resolved_actor, services_of
from web.platform.guards import requires_sign_in
from web.platform.render import page
from web.platform.streams import CHANNELS_HEALTHY, LIVE_PATH, LiveStreams

# Events of the log a view may lag before its board says so: a rush's batches stay below it.
BEHIND_EVENTS = 2_000
MAX_KEYS = 10


class Live(Controller):
    path = LIVE_PATH  # the server's application knows the streams by it
    guards = [requires_sign_in]

    @get("/")
    async def stream(self, request: Request[Any, Any, Any], key: FromQuery[list[str]]) -> ASGIApp:
        """503 while the channel is down, so the browser never sees a stream open and die."""
        if (await resolved_actor(request)).account_id is None:  # a desk does desk work only
            raise PermissionDeniedException("for people signed in")
        healthy = request.scope.get(CHANNELS_HEALTHY)  # type: ignore[call-overload]
        if not (await services_of(request).channels.healthy() if healthy is None else healthy):
            raise ServiceUnavailableException("live updates are interrupted")
        streams: LiveStreams = request.app.state.live
        keys = frozenset(key[:MAX_KEYS])

        async def answer(scope: Scope, receive: Receive, send: Send) -> None:
            await streams.answer(keys, scope, receive, send)

        return answer

    @get("/behind", sync_to_thread=True)
    def behind(
        self, request: Request[Any, Any, Any], view: FromQuery[list[str] | None] = None
    ) -> Response[str]:
        """ "This board is behind" while a view the board reads lags or has stalled; empty
        otherwise (the page asks again every few seconds and on every change)."""
        if actor_of(request).account_id is None:  # a desk device does desk work only
            raise PermissionDeniedException("for people signed in")
        wanted = set((view or [])[:MAX_KEYS])
        states = [s for s in services_of(request).runner.states() if s.name in wanted]
        stalled = any(s.stalled for s in states)
        lagging = any(s.behind(BEHIND_EVENTS) for s in states)
        return page(request, "_behind.html", stalled=stalled, lagging=lagging)
