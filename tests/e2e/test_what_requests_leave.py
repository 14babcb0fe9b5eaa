"""What a served request leaves behind: nothing only the cycle collector frees."""

from __future__ import annotations

import gc

from jinja2.runtime import Macro
from litestar.plugins.htmx import HTMXDetails
from litestar.testing import TestClient

from web.platform.request_class import KatfRequest


def alive(kind: type) -> int:
    return sum(1 for thing in gc.get_objects() if isinstance(thing, kind))


def test_a_request_is_freed_without_the_cycle_collector(client: TestClient) -> None:
    """A request referred to by its own htmx details was garbage only the cycle collector
    freed, with everything it held: one such cycle a request, thousands a second in a rush."""
    client.get("/shifts", headers={"HX-Request": "true"})
    gc.collect()
    gc.disable()
    try:
        before = alive(KatfRequest)
        for _ in range(5):
            assert client.get("/shifts", headers={"HX-Request": "true"}).status_code == 200
        # none of the five left behind for the collector (the last may still be held a moment
        # by the test client's own thread after an earlier test's event loop)
        assert alive(KatfRequest) <= before + 1 and alive(HTMXDetails) == 0
    finally:
        gc.enable()


def test_the_registration_page_leaves_no_cycle_behind(client: TestClient) -> None:
    """The page every new volunteer opens: a macro of its template refers to the context it
    was made in, and the context to the macro, a cycle for every render."""
    client.get("/register")
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            assert client.get("/register").status_code == 200
        assert alive(Macro) == 0
    finally:
        gc.enable()


def test_a_request_still_tells_what_htmx_asked_for() -> None:
    scope = {"type": "http", "headers": [(b"hx-request", b"true"), (b"hx-target", b"board")]}
    request = KatfRequest(scope)  # type: ignore[arg-type]
    assert request.htmx and request.htmx.target == "board"
    assert not KatfRequest({"type": "http", "headers": []}).htmx  # type: ignore[arg-type]
