"""CSRF protection: a token bound to the session, required on every unsafe request.

Forms carry it in ``_csrf_token``; htmx and JSON clients in the ``X-CSRF-Token`` header
(set once on ``<body>`` for htmx). Requests authenticated by a device's bearer token carry no
ambient credentials, so they need none.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
FIELD = "_csrf_token"
HEADER = "x-csrf-token"


def csrf_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    session = connection.scope.get("session")
    if not isinstance(session, dict):
        session = connection.scope["session"] = {}  # type: ignore[typeddict-item]
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


async def csrf_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if not isinstance(connection, Request) or connection.method in SAFE_METHODS:
        return
    if connection.headers.get("authorization", "").lower().startswith("bearer "):
        return
    session = connection.scope.get("session")
    expected = session.get("csrf") if isinstance(session, dict) else None
    sent = connection.headers.get(HEADER)
    if sent is None and "form" in connection.headers.get("content-type", ""):
        sent = (await connection.form()).get(FIELD)
    if not expected or not sent or not hmac.compare_digest(str(sent), expected):
        raise PermissionDeniedException("CSRF token missing or wrong")
