"""Static files are named by their content: pages link them with a fingerprint, which is
kept a year without asking again; without it (or with last release's) only minutes."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from web.platform.static import fingerprint


def linked(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', page)


def test_pages_link_fingerprinted_static_files_kept_for_a_year(client: TestClient) -> None:
    links = linked(client.get("/sign-in").text)
    assert any(link.startswith("/static/katf.css?v=") for link in links)
    for link in links:
        name, digest = link.removeprefix("/static/").split("?v=")
        assert digest == fingerprint(name)
        answer = client.get(link)
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_a_static_file_without_its_current_fingerprint_is_kept_minutes(
    client: TestClient,
) -> None:
    for url in ("/static/katf.css", "/static/katf.css?v=000000000000"):
        answer = client.get(url)
        assert answer.status_code == 200
        assert "body" in answer.text
        assert answer.headers["cache-control"] == "public, max-age=300"
    assert client.get("/static/missing.css").status_code == 404


def test_a_changed_file_gets_a_new_fingerprint() -> None:
    assert len(fingerprint("katf.css")) == 12
    assert fingerprint("katf.css") != fingerprint("desk.js")
    assert fingerprint("../app.py") == ""
