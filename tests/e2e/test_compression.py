"""Pages and large answers go out gzipped to a client that accepts it; a small answer (a
desk's scan, a sign-up's outcome) goes out as it is, with no gzip stream opened for it."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from litestar.middleware.compression import gzip_facade
from litestar.testing import TestClient

GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture
def gzip_streams(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many gzip streams the server opened."""
    opened: list[int] = []

    class Counted(gzip.GzipFile):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            opened.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(gzip_facade, "GzipFile", Counted)
    return opened


def test_a_page_is_gzipped_for_a_client_that_accepts_it(
    client: TestClient, gzip_streams: list[int]
) -> None:
    answer = client.get("/sign-in", headers=GZIP)
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in answer.headers["vary"].lower()
    assert "<form" in answer.text  # the client undid the gzip: the page is whole
    assert len(gzip_streams) == 1
    raw = client.get("/sign-in", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert len(raw.content) > int(answer.headers["content-length"])


def test_a_small_answer_goes_out_as_it_is(client: TestClient, gzip_streams: list[int]) -> None:
    answer = client.get("/api/v1/session", headers=GZIP)
    assert answer.status_code == 200
    assert len(answer.content) < 512
    assert "content-encoding" not in answer.headers
    assert int(answer.headers["content-length"]) == len(answer.content)
    assert answer.json() is not None  # readable as it came
    assert gzip_streams == []
