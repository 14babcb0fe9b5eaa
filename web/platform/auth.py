"""Who is asking: the account in the session, or a desk device's bearer token."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from coordination.areas.accounts.lookups import actor_for, remembered_actor
from coordination.areas.sites.lookups import (
    device_actor,
    enrolled_device_actor,
    remembered_device_actor,
    remembered_enrolled_device_actor,
)
from coordination.permissions import ANONYMOUS, Actor
from web.platform.services import Services

ACTOR = "katf.actor"


def services_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Services:
    services: Services = connection.app.state.services
    return services


def actor_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    scope: Any = connection.scope
    if ACTOR not in scope:
        scope[ACTOR] = _resolve(connection)
    return scope[ACTOR]


def volunteer_of(actor: Actor) -> UUID:
    """The volunteer asking, on a route that ``requires_volunteer``."""
    if actor.volunteer_id is None:
        raise PermissionDeniedException("for volunteers")
    return actor.volunteer_id


async def resolved_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """``actor_of`` for the event loop: who asks is most often remembered from a moment ago;
    only when it must be read from the store is it read in a thread."""
    scope: Any = connection.scope
    if ACTOR not in scope:
        credential = _credential(connection)
        app = services_of(connection).app
        if credential is None:
            scope[ACTOR] = ANONYMOUS
        else:
            kind, value = credential
            held, found = REMEMBERED[kind](app, value)
            if not held:
                found = await sync_to_thread(LOOK_UP[kind], app, value)
            scope[ACTOR] = _actor(kind, found)
    return scope[ACTOR]


def _resolve(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    credential = _credential(connection)
    if credential is None:
        return ANONYMOUS
    kind, value = credential
    app = services_of(connection).app
    return _actor(kind, LOOK_UP[kind](app, value))


def _credential(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[str, Any] | None:
    """What the request shows: a desk's bearer token, or its session's desk code or account."""
    authorization = connection.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return "token", authorization[7:].strip()
    session = connection.scope.get("session")
    if not isinstance(session, dict):
        return None
    if session.get("device_token_id"):
        return "device", UUID(session["device_token_id"])
    if session.get("account_id"):
        return "account", UUID(session["account_id"])
    return None


LOOK_UP: dict[str, Any] = {
    "account": actor_for,
    "device": enrolled_device_actor,  # a desk's session: its token's id
    "token": device_actor,  # a bearer token: its secret
}
REMEMBERED: dict[str, Any] = {
    "account": remembered_actor,
    "device": remembered_enrolled_device_actor,
    "token": remembered_device_actor,
}


def _actor(kind: str, found: Actor | None) -> Actor:
    if found is None and kind == "token":
        raise NotAuthorizedException("unknown or revoked device token")
    return found or ANONYMOUS
