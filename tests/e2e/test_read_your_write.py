"""After a plain form's sign-up or withdrawal the next page shows the new state, even when the
views are projected by another worker that lags behind the web process."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from litestar.testing import TestClient

from tests.conftest import started
from tests.e2e.test_pages import form_token, register, sign_up_form
from tests.integration.scenarios import make_shift
from web.app import create_app
from web.bootstrap import Services
from web.platform.settings import Settings

LAG = 0.25  # the projection worker's pause between rounds: a page that did not wait is stale


def follow_late(services: Services, stop: threading.Event) -> None:
    while not stop.wait(LAG):
        services.runner.catch_up()


@pytest.fixture
def lagging(sqlite_settings: Settings) -> Iterator[tuple[Services, TestClient]]:
    """The web process projects nothing; a worker thread follows the log, late."""
    settings = replace(sqlite_settings, embedded_projections=False)
    for services in started(settings):
        stop = threading.Event()
        thread = threading.Thread(
            target=follow_late, args=(services, stop), name="lagging-projections", daemon=True
        )
        with TestClient(create_app(services, secure_cookies=False)) as client:
            thread.start()
            try:
                yield services, client
            finally:
                stop.set()
                thread.join(timeout=5)


def card_of(page: str, shift: object) -> str:
    start = page.index(f'id="shift-{shift}"')
    return page[start : page.index("</li>", start)]


def test_a_sign_up_then_a_withdrawal_show_at_once_on_the_next_page(
    lagging: tuple[Services, TestClient],
) -> None:
    services, client = lagging
    shift = make_shift(services, capacity=5)
    services.runner.catch_up()
    assert register(client).status_code == 303
    for _ in range(3):  # each time, the page after the redirect has what was just written
        signed = client.post(f"/shifts/{shift}/sign-up", data=sign_up_form(client, shift))
        assert signed.status_code == 200 and signed.url.path == "/shifts"
        card = card_of(signed.text, shift)
        assert "/withdraw" in card, "the new sign-up shows with its Withdraw button"
        mine = client.get("/my-shifts").text
        assert f'id="shift-{shift}"' in mine

        form = {"_csrf_token": form_token(card), "next": "/shifts"}
        withdrawn = client.post(f"/shifts/{shift}/withdraw", data=form)
        assert withdrawn.status_code == 200
        assert "/sign-up" in card_of(withdrawn.text, shift), "withdrawn: Sign up again"
        assert f'id="shift-{shift}"' not in client.get("/my-shifts").text
