"""Server-side sessions that never adopt an id the server did not issue, and rotate at sign-in.

A session slides: it is written again (new expiry in the store, cookie sent again) when it
changes or once its last renewal is an hour old, not on every request, which then costs one
plain read of the store. A request that leaves no session (a device's bearer token, an
anonymous JSON call) writes nothing and gets no cookie.
"""

from __future__ import annotations

import time
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import Message, ScopeSession

ROTATE = "katf.session.rotate"
FRESH = "katf.session.fresh"
NEW_ID = "katf.session.new_id"
LOADED = "katf.session.loaded"
RENEWED = "renewed_at"
RENEW_SECONDS = 3600


class RotatingSessionBackend(ServerSideSessionBackend):
    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        if not data:
            connection.scope[FRESH] = True  # type: ignore[literal-required]
        connection.scope[LOADED] = dict(data)  # type: ignore[literal-required]
        return data

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        scope: Any = connection.scope
        if scope.get(ROTATE) or scope.get(FRESH):
            scope.setdefault(NEW_ID, self.generate_session_id())
            return scope[NEW_ID]
        return super().get_session_id(connection)

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        scope: Any = connection.scope
        if not scope_session and not scope.get(LOADED) and not scope.get(ROTATE):
            return  # nothing kept and nothing to keep: no store write, no cookie
        old_id = connection.cookies.get(self.config.key)
        if scope.get(ROTATE) and old_id:
            store = self.config.get_store_from_app(scope["app"])
            await self.delete(old_id, store=store)
        unchanged = not scope.get(ROTATE) and scope_session == scope.get(LOADED)
        if unchanged and isinstance(scope_session, dict) and _recently_renewed(scope_session):
            return
        if isinstance(scope_session, dict) and scope_session:
            scope_session[RENEWED] = int(time.time())
        await super().store_in_message(scope_session, message, connection)


def _recently_renewed(session: dict[str, Any]) -> bool:
    renewed = session.get(RENEWED)
    return isinstance(renewed, int) and 0 <= time.time() - renewed < RENEW_SECONDS


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any], **data: Any) -> None:
    """A new session id for the new privilege; the old id dies in the store."""
    connection.scope[ROTATE] = True  # type: ignore[literal-required]
    connection.scope["session"] = dict(data)


def end_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    connection.clear_session()
