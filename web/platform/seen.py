"""Read your own write: after a plain form's command, the next page shows what it changed,
whichever process answers it and wherever the views are projected.

The command's answer leaves, in the person's session, the log position its write reached (the
log's head once the write is stored: at or past its own notification id). The next page that
reads views waits, briefly and boundedly, until those views' tracking positions have reached
it, then shows them; a view that is behind for longer (stalled, or a long rebuild) costs the
page at most ``WAIT`` seconds and the page says it from its own "behind" notice."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from litestar import Request

from web.platform.auth import services_of

AnyRequest = Request[Any, Any, Any]
SEEN = "seen"  # the session's key: the log position this person's last write reached
WAIT = 2.0  # seconds a page waits at most for its views
POLL = 0.02


def remember_write(request: AnyRequest) -> None:
    """Called after a command was stored: the next page waits for the views to reach it.
    Nothing is kept where the views are projected in this process (they already have it)."""
    services = services_of(request)
    if services.settings.embedded_projections:
        return
    position = services.runner.head()
    session = request.scope.get("session")
    if isinstance(session, dict) and position > int(session.get(SEEN, 0) or 0):
        request.session[SEEN] = position


def positions(request: AnyRequest, views: Sequence[str]) -> dict[str, int]:
    rows = services_of(request).db.query("SELECT name, position FROM projection_tracking")
    known = {row["name"]: int(row["position"]) for row in rows}
    return {view: known.get(view, 0) for view in views}


def wait_for_own_write(request: AnyRequest, views: Sequence[str]) -> bool:
    """Blocks (in the page's thread) until ``views`` have the person's last write, at most
    ``WAIT`` seconds; True when they have it (or nothing was awaited)."""
    session = request.scope.get("session")
    if not isinstance(session, dict) or not session.get(SEEN):
        return True
    seen = int(session[SEEN])
    deadline = time.monotonic() + WAIT
    while True:
        if min(positions(request, views).values(), default=seen) >= seen:
            session.pop(SEEN, None)  # reached: later pages need not look again
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL)
