"""Static files with their content's fingerprint in the URL: pages ask ``static("katf.css")``
for ``/static/katf.css?v=<hash>``, which browsers and proxies keep for a year without asking
again; a new release changes the hash, so nobody keeps last release's files. A request
without the current fingerprint (an old page, a hand-typed URL) is still answered, kept
only a few minutes."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from litestar.types import ASGIApp, Message, Receive, Scope, Send

STATIC = Path(__file__).parent.parent / "static"
PREFIX = "/static/"
IMMUTABLE = b"public, max-age=31536000, immutable"
SHORT = b"public, max-age=300"


@cache
def fingerprint(name: str) -> str:
    """The first 12 hex digits of the file's SHA-256 ('' for a file that is not there)."""
    path = (STATIC / name).resolve()
    if not path.is_relative_to(STATIC.resolve()) or not path.is_file():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """The fingerprinted URL of a file under web/static."""
    digest = fingerprint(name)
    return f"{PREFIX}{name}?v={digest}" if digest else f"{PREFIX}{name}"


def cache_control(path: str, query: bytes) -> bytes:
    asked = parse_qs(query.decode("latin-1")).get("v", [""])[0]
    current = fingerprint(path.removeprefix(PREFIX))
    return IMMUTABLE if current and asked == current else SHORT


def cached_for_long(app: ASGIApp) -> ASGIApp:
    """Middleware of the static router: the Cache-Control of each answer, by fingerprint."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        value = cache_control(scope["path"], scope.get("query_string", b""))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, header)
                    for name, header in message.get("headers", [])
                    if name.lower() != b"cache-control"
                ]
                message["headers"] = [*headers, (b"cache-control", value)]
            await send(message)

        await app(scope, receive, sending)

    return middleware
