"""Messages kept in the session for the next page: after a redirect a form still says why."""

from __future__ import annotations

from typing import Any

from litestar import Request

AnyRequest = Request[Any, Any, Any]


def flash(
    request: AnyRequest, kind: str, message: str, link: tuple[str, str] | None = None
) -> None:
    """``link``: a path and its words, shown after the message (where to put a refusal right)."""
    said = [kind, message, *link] if link else [kind, message]
    request.session["flash"] = [*request.session.get("flash", []), said]


def take_flashes(request: AnyRequest) -> list[list[str]]:
    session = request.scope.get("session")
    return session.pop("flash", []) if isinstance(session, dict) else []
