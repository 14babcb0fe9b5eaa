"""Server-side sessions that never adopt an id the server did not issue, and rotate at sign-in."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

ROTATE = "katf.session.rotate"
FRESH = "katf.session.fresh"
NEW_ID = "katf.session.new_id"
LOADED = "katf.session.loaded"


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
        old_id = connection.cookies.get(self.config.key)
        if scope.get(ROTATE) and old_id:
            store = self.config.get_store_from_app(scope["app"])
            await self.delete(old_id, store=store)
        if not scope.get(ROTATE) and scope_session and scope_session == scope.get(LOADED):
            self._renew_cookie(message, connection)  # reading it renewed it in the store
            return
        await super().store_in_message(scope_session, message, connection)

    def _renew_cookie(
        self, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        params = dict(
            extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys())
        )
        cookie = Cookie(value=self.get_session_id(connection), key=self.config.key, **params)
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any], **data: Any) -> None:
    """A new session id for the new privilege; the old id dies in the store."""
    connection.scope[ROTATE] = True  # type: ignore[literal-required]
    connection.scope["session"] = dict(data)


def end_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    connection.clear_session()
