"""CSRF protection: a token required on every unsafe request.

Forms carry it in ``_csrf_token``; htmx and JSON clients in the ``X-CSRF-Token`` header
(set once on ``<body>`` for htmx). Requests authenticated by a device's bearer token carry no
ambient credentials, so they need none.

A session's token is kept in the session. A visitor without one (an anonymous page: the
sign-in form, the shift board) gets a signed double-submit cookie instead, so that showing a
form keeps nothing on the server; that cookie's token is taken only while nobody is signed in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Message, Scope

from web.platform.auth import services_of
from web.platform.settings import derived_key

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
FIELD = "_csrf_token"
HEADER = "x-csrf-token"
COOKIE = "katf_csrf"
COOKIE_DAYS = 7
NEW_COOKIE = "katf.csrf.new_cookie"


def csrf_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The session's own token, made (and so the session kept) when it has none yet."""
    session = connection.scope.get("session")
    if not isinstance(session, dict):
        session = connection.scope["session"] = {}  # type: ignore[typeddict-item]
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def form_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The token a page carries: its session's, or for a visitor with no session the cookie's."""
    session = connection.scope.get("session")
    if isinstance(session, dict) and session:
        return csrf_token(connection)
    scope: Any = connection.scope
    if NEW_COOKIE not in scope:
        held = connection.cookies.get(COOKIE, "")
        scope[NEW_COOKIE] = None if _signed(connection, held) else _sign(connection)
    return scope[NEW_COOKIE] or connection.cookies[COOKIE]


async def csrf_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if not isinstance(connection, Request) or connection.method in SAFE_METHODS:
        return
    if connection.headers.get("authorization", "").lower().startswith("bearer "):
        return
    session = connection.scope.get("session")
    session = session if isinstance(session, dict) else {}
    expected = [session["csrf"]] if session.get("csrf") else []
    signed_in = session.get("account_id") or session.get("device_token_id")
    cookie = connection.cookies.get(COOKIE, "")
    if not signed_in and _signed(connection, cookie):
        expected.append(cookie)
    sent = connection.headers.get(HEADER)
    if sent is None and "form" in connection.headers.get("content-type", ""):
        sent = (await connection.form()).get(FIELD)
    if not sent or not any(hmac.compare_digest(str(sent), token) for token in expected):
        raise PermissionDeniedException("CSRF token missing or wrong")


async def csrf_cookie(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: the cookie a page's token was made for goes with the page."""
    token = scope.get(NEW_COOKIE)  # type: ignore[call-overload]
    if not token or message["type"] != "http.response.start":
        return
    settings = scope["app"].state.services.settings
    secure = "; Secure" if settings.secure_cookies or scope.get("scheme") == "https" else ""
    MutableScopeHeaders.from_message(message).add(
        "set-cookie",
        f"{COOKIE}={token}; Path=/; Max-Age={COOKIE_DAYS * 86400}; HttpOnly; SameSite=Lax{secure}",
    )


def _sign(connection: ASGIConnection[Any, Any, Any, Any], nonce: str = "") -> str:
    nonce = nonce or secrets.token_urlsafe(24)
    return f"{nonce}.{_mac(connection, nonce)}"


def _signed(connection: ASGIConnection[Any, Any, Any, Any], token: str) -> bool:
    nonce, _, mac = token.partition(".")
    return bool(nonce and mac) and hmac.compare_digest(mac, _mac(connection, nonce))


def _mac(connection: ASGIConnection[Any, Any, Any, Any], nonce: str) -> str:
    key = derived_key(services_of(connection).settings.secret_key, "csrf-cookie").encode()
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()[:32]
