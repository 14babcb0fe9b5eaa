"""The volunteer's pages over HTTP (in-process client): register, shifts, sign up, my shifts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from tests.conftest import started
from tests.helpers import mobile, national_id
from tests.integration.scenarios import make_shift
from web.app import create_app
from web.bootstrap import Services
from web.settings import Settings


@pytest.fixture
def services(sqlite_settings: Settings) -> Iterator[Services]:
    yield from started(sqlite_settings)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services, secure_cookies=False)) as client:
        yield client


def register(client: TestClient, **overrides: str) -> object:
    form = {
        "full_name": "منى حسن",
        "phone": mobile(),
        "national_id": national_id(),
        "governorate": "01",
        **overrides,
    }
    return client.post("/register", data=form, follow_redirects=False)


def idempotency_key(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert match, "the sign-up form carries a key"
    return match.group(1)


def test_pages_are_arabic_and_right_to_left_by_default(client: TestClient) -> None:
    html = client.get("/register").text
    assert '<html lang="ar" dir="rtl">' in html
    assert "تسجيل" in html


def test_the_language_switch_gives_english(client: TestClient) -> None:
    client.get("/language/en?next=/register")
    html = client.get("/register").text
    assert '<html lang="en" dir="ltr">' in html
    assert "Register as a volunteer" in html


def test_registration_errors_are_explained_in_arabic_with_422(client: TestClient) -> None:
    response = register(client, phone="0223456789")
    assert response.status_code == 422
    assert "رقم" in response.text and 'class="field-error"' in response.text


def test_register_then_sign_up_without_javascript(client: TestClient, services: Services) -> None:
    shift = make_shift(services, capacity=2)
    services.runner.catch_up()
    assert register(client).status_code == 303
    page = client.get("/shifts").text
    response = client.post(
        f"/shifts/{shift}/sign-up",
        data={"idempotency_key": idempotency_key(page), "next": "/shifts"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    services.runner.catch_up()
    mine = client.get("/my-shifts").text
    assert f'id="shift-{shift}"' in mine and "/withdraw" in mine


def test_sign_up_with_htmx_returns_the_updated_card(client: TestClient, services: Services) -> None:
    shift = make_shift(services, capacity=1)
    services.runner.catch_up()
    register(client)
    key = idempotency_key(client.get("/shifts").text)
    card = client.post(
        f"/shifts/{shift}/sign-up", data={"idempotency_key": key}, headers={"HX-Request": "true"}
    )
    assert card.status_code == 200
    assert card.text.lstrip().startswith(f'<li class="shift-card" id="shift-{shift}"')
    assert "/withdraw" in card.text and "<html" not in card.text


def test_a_full_shift_answers_409_in_the_card(client: TestClient, services: Services) -> None:
    shift = make_shift(services, capacity=1)
    services.app.sign_up(
        shift, services.app.register_volunteer("Other", mobile(), national_id(), "01"), "x"
    )
    services.runner.catch_up()
    register(client)
    card = client.post(
        f"/shifts/{shift}/sign-up", data={"idempotency_key": "k"}, headers={"HX-Request": "true"}
    )
    assert card.status_code == 409
    assert "ممتلئة" in card.text


def test_shift_filters_narrow_the_list(client: TestClient, services: Services) -> None:
    make_shift(services, capacity=3)
    services.runner.catch_up()
    assert "shift-card" in client.get("/shifts?governorate=01").text
    assert "shift-card" not in client.get("/shifts?governorate=02").text


def test_signing_up_before_registering_leads_to_registration(
    client: TestClient, services: Services
) -> None:
    shift = make_shift(services, capacity=3)
    response = client.post(
        f"/shifts/{shift}/sign-up", data={"idempotency_key": "k"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/register"
