"""Who is asking: the account in the session, or a desk device's bearer token."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException

from coordination.permissions import ANONYMOUS, Actor

ACTOR = "katf.actor"


def services_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
    return connection.app.state.services


def actor_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    scope: Any = connection.scope
    if ACTOR not in scope:
        scope[ACTOR] = _resolve(connection)
    return scope[ACTOR]


def _resolve(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    app = services_of(connection).app
    authorization = connection.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        actor = app.device_actor(authorization[7:].strip())
        if actor is None:
            raise NotAuthorizedException("unknown or revoked device token")
        return actor
    session = connection.scope.get("session")
    device_secret = session.get("device_secret") if isinstance(session, dict) else None
    if device_secret:
        return app.device_actor(device_secret) or ANONYMOUS
    account_id = session.get("account_id") if isinstance(session, dict) else None
    if not account_id:
        return ANONYMOUS
    return app.actor_for(UUID(account_id)) or ANONYMOUS
