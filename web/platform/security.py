"""Security headers on every answer, errors included: sent as the answer starts, whoever made it."""

from __future__ import annotations

from litestar.types import Message, Scope

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(), microphone=()",
    "Content-Security-Policy": CSP,
}


RAW_HEADERS = [(name.lower().encode(), value.encode()) for name, value in HEADERS.items()]


async def security_headers(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: an error answer or a 404 passes here as a page does. It runs
    for every answer, so it reads the raw header list once instead of asking name by name."""
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers", ()))
    present = {name.lower() for name, _ in headers}
    headers += [(name, value) for name, value in RAW_HEADERS if name not in present]
    message["headers"] = headers
