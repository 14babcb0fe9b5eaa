"""One way to answer a command from a page: an htmx fragment, a plain form, or JSON.

Every page route that changes something builds its command and returns
``await answered(request, command, back=..., fragment=...)``. A refusal always reaches the
person: in the fragment with its status (htmx), as a flash on the page a plain form returns to
(no JavaScript; every full page shows its flashes), or as the JSON error body. What the
command changed is in the read models before the answer is rendered when projections run in
this process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.concurrency import sync_to_thread
from litestar.response import Redirect

from coordination.errors import DomainError
from web.platform.auth import resolved_actor, services_of
from web.platform.errors import follow_up_of, message_of, status_of
from web.platform.flash import flash
from web.platform.render import locale_of
from web.platform.seen import remember_write

AnyRequest = Request[Any, Any, Any]


@dataclass(frozen=True)
class Outcome:
    """What became of a command: its result, or the refusal's sentence and status."""

    ok: bool
    status: int
    notice: str | None
    result: Any = None
    link: tuple[str, str] | None = None  # where a refusal sends a volunteer to put it right


Fragment = Callable[[Outcome], Response[Any]]
Said = str | Callable[[Any], str] | None


def wants_fragment(request: AnyRequest) -> bool:
    return bool(request.headers.get("hx-request"))


def wants_json(request: AnyRequest) -> bool:
    return "application/json" in request.headers.get("accept", "") and not wants_fragment(request)


async def answered(
    request: AnyRequest,
    command: Any,
    *,
    back: str,
    fragment: Fragment | None = None,
    done: Said = None,
    as_json: Callable[[Any], Any] | None = None,
) -> Response[Any]:
    """The command dispatched as the person asking, and its answer in the form they can read:
    ``fragment(outcome)`` for htmx (rendered in a thread: it reads the read models), a
    redirect to ``back`` with a flash for a plain form (``done`` is the sentence for success,
    or makes it from the result; a refusal always says why), ``as_json(result)`` (or the
    result) for a client that asked for JSON."""
    outcome = await dispatched(request, command, done)
    if wants_json(request):
        return Response(as_json(outcome.result) if as_json else outcome.result)
    await caught_up(request)
    if outcome.ok and not wants_fragment(request):
        await sync_to_thread(remember_write, request)  # the next page waits for its views
    if wants_fragment(request) and fragment is not None:
        return await sync_to_thread(fragment, outcome)
    if outcome.notice:
        flash(request, "success" if outcome.ok else "error", outcome.notice, outcome.link)
    return Redirect(back, status_code=303)


async def decided(request: AnyRequest, command: Any) -> Any:
    """The command's result for an API route, dispatched as the person asking; a refusal
    goes to the error handler, which answers with its JSON error body."""
    return await services_of(request).dispatcher.dispatch(command, await resolved_actor(request))


async def dispatched(request: AnyRequest, command: Any, done: Said = None) -> Outcome:
    """The command's outcome; for a JSON client a refusal is raised for the error handler."""
    services, actor = services_of(request), await resolved_actor(request)
    try:
        result = await services.dispatcher.dispatch(command, actor)
    except DomainError as refused:
        if wants_json(request):
            raise
        locale = locale_of(request)
        link = follow_up_of(refused, locale) if actor.volunteer_id else None
        return Outcome(False, status_of(refused), message_of(refused, locale), link=link)
    notice = done(result) if callable(done) else done
    return Outcome(True, 200, notice, result)


async def caught_up(request: AnyRequest) -> None:
    """The read models have what this request wrote, when they are projected in this process."""
    services = services_of(request)
    if services.settings.embedded_projections:
        await sync_to_thread(services.runner.catch_up)
