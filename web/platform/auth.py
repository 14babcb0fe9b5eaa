"""Who is asking: the account in the session, or a desk device's bearer token."""

from __future__ import annotations

import time
from functools import lru_cache
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
from coordination.dispatch.store import ACTOR_MEMORY_SECONDS
from coordination.permissions import ANONYMOUS, Actor, Grant, Role
from web.platform.services import Services
from web.platform.sessions import COPY_SECONDS

ACTOR = "katf.actor"
COPY = "who"  # the session's copy of who its account is: [volunteer id, grants, read after]


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
    """``actor_of`` for the event loop: who asks is most often in the session's copy or
    remembered from a moment ago; only when it must be read from the store is it read in a
    thread."""
    scope: Any = connection.scope
    if ACTOR not in scope:
        credential = _credential(connection)
        if credential is None:
            scope[ACTOR] = ANONYMOUS
        elif (copied := _copied(connection, credential)) is not None:
            scope[ACTOR] = copied
        else:
            kind, value = credential
            app = services_of(connection).app
            # what memory holds, here or from a read begun by another request, may be that old
            read_after = time.time() - ACTOR_MEMORY_SECONDS
            held, found = REMEMBERED[kind](app, value)
            if not held:
                found = await sync_to_thread(LOOK_UP[kind], app, value)
            scope[ACTOR] = _actor(kind, found)
            _copy(connection, scope[ACTOR], read_after)
    return scope[ACTOR]


def _resolve(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    credential = _credential(connection)
    if credential is None:
        return ANONYMOUS
    copied = _copied(connection, credential)
    if copied is not None:
        return copied
    kind, value = credential
    app = services_of(connection).app
    read_after = time.time() - ACTOR_MEMORY_SECONDS  # as above
    actor = _actor(kind, LOOK_UP[kind](app, value))
    _copy(connection, actor, read_after)
    return actor


def _copied(
    connection: ASGIConnection[Any, Any, Any, Any], credential: tuple[str, Any]
) -> Actor | None:
    """The session's copy of who its account is, while it may be trusted: no change of the
    account heard since it was read, every change heard (``AccountChanges``), and younger than
    ``COPY_SECONDS`` (a change whose announcement was lost with its process counts no longer)."""
    kind, account_id = credential
    session = connection.scope.get("session")
    copy = session.get(COPY) if kind == "account" and isinstance(session, dict) else None
    if not (isinstance(copy, list) and len(copy) == 3):
        return None
    volunteer, grants, read_after = copy
    changes = services_of(connection).account_changes
    if (
        not isinstance(read_after, (int, float))
        or time.time() - read_after > COPY_SECONDS
        or not changes.heard_by_all()
        or changes.changed_since(str(account_id), read_after)
    ):
        return None
    return _copy_as_actor(account_id, volunteer, tuple(map(tuple, grants)))


@lru_cache(maxsize=4096)
def _copy_as_actor(account_id: UUID, volunteer: str, grants: tuple[tuple[str, str], ...]) -> Actor:
    return Actor(
        account_id,
        UUID(volunteer) if volunteer else None,
        frozenset(Grant(Role(role), scope) for role, scope in grants),
    )


def _copy(connection: ASGIConnection[Any, Any, Any, Any], actor: Actor, read_after: float) -> None:
    """Keeps who the account is in its session (sealed in the cookie, sent back once)."""
    session = connection.scope.get("session")
    if actor.account_id is None or not isinstance(session, dict):
        return
    if session.get("account_id") != str(actor.account_id):
        return
    if not services_of(connection).account_changes.heard_by_all():
        return  # a copy that could not be trusted would only rewrite the cookie each time
    grants = sorted([grant.role.value, grant.scope] for grant in actor.grants)
    session[COPY] = [str(actor.volunteer_id or ""), grants, round(read_after, 3)]


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
