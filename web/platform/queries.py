"""Query strings with a control character are refused before any page reads them.

A NUL or an escape in ``?site=`` or ``?day=`` is no value any page takes, and PostgreSQL
refuses a NUL in text outright: one check here answers 422 for every route.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote_plus

from litestar.types import ASGIApp, Receive, Scope, Send

from coordination.errors import InvalidInput


class ControlCharacterInQuery(InvalidInput):
    code = "control_character_in_query"


def has_control_character(query: bytes) -> bool:
    text = unquote_plus(query.decode("latin-1"), errors="replace")
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def refuse_control_characters(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"")
        if query and scope["type"] == "http" and has_control_character(query):
            raise ControlCharacterInQuery()
        await app(scope, receive, send)

    return middleware
