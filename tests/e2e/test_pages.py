"""The volunteer's pages over HTTP (in-process client): register, sign in, shifts, sign up."""

from __future__ import annotations

import re
from datetime import timedelta

from litestar.testing import TestClient

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.permissions import SYSTEM
from tests.helpers import PASSWORD, mobile, national_id, tomorrow
from tests.integration.scenarios import make_shift
from web.bootstrap import Services


def form_token(html: str, name: str = "_csrf_token") -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, f"the page carries {name}"
    return match.group(1)


def register(client: TestClient, **overrides: str) -> object:
    token = form_token(client.get("/register").text)
    form = {
        "full_name": "منى حسن",
        "phone": mobile(),
        "national_id": national_id(),
        "governorate": "01",
        "password": PASSWORD,
        "_csrf_token": token,
        **overrides,
    }
    return client.post("/register", data=form, follow_redirects=False)


def sign_up_form(client: TestClient, shift: object) -> dict[str, str]:
    page = client.get("/shifts").text
    card = page[page.index(f'id="shift-{shift}"') :]
    return {
        "idempotency_key": form_token(card, "idempotency_key"),
        "_csrf_token": form_token(card),
        "next": "/shifts",
    }


def test_pages_are_arabic_and_right_to_left_by_default(client: TestClient) -> None:
    html = client.get("/register").text
    assert '<html lang="ar" dir="rtl" data-digits="arab">' in html  # Arabic-Indic digits
    assert "تسجيل" in html


def test_the_language_switch_gives_english(client: TestClient) -> None:
    client.get("/language/en?next=/register")
    html = client.get("/register").text
    assert '<html lang="en" dir="ltr" data-digits="latn">' in html
    assert "Register as a volunteer" in html


def test_registration_errors_are_explained_in_arabic_with_422(client: TestClient) -> None:
    response = register(client, phone="0223456789")
    assert response.status_code == 422
    assert "رقم" in response.text and 'class="field-error"' in response.text


def test_register_then_sign_up_without_javascript(client: TestClient, services: Services) -> None:
    shift = make_shift(services, capacity=2)
    services.runner.catch_up()
    assert register(client).status_code == 303
    response = client.post(
        f"/shifts/{shift}/sign-up", data=sign_up_form(client, shift), follow_redirects=False
    )
    assert response.status_code == 303
    services.runner.catch_up()
    mine = client.get("/my-shifts").text
    assert f'id="shift-{shift}"' in mine and "/withdraw" in mine


def test_sign_up_with_htmx_returns_the_updated_card(client: TestClient, services: Services) -> None:
    shift = make_shift(services, capacity=1)
    services.runner.catch_up()
    register(client)
    form = sign_up_form(client, shift)
    card = client.post(
        f"/shifts/{shift}/sign-up",
        data={"idempotency_key": form["idempotency_key"]},
        headers={"HX-Request": "true", "X-CSRF-Token": form["_csrf_token"]},
    )
    assert card.status_code == 200
    assert card.text.lstrip().startswith(f'<li class="shift-card" id="shift-{shift}"')
    assert "/withdraw" in card.text and "<html" not in card.text


def test_a_full_shift_answers_409_in_the_card(client: TestClient, services: Services) -> None:
    shift = make_shift(services, capacity=1)
    other = services.dispatcher.run(
        RegisterVolunteer("Other", mobile(), national_id(), "01", PASSWORD)
    )
    services.dispatcher.run(SignUp(shift, other, "x"), SYSTEM)
    services.runner.catch_up()
    register(client)
    token = form_token(client.get("/shifts").text)
    card = client.post(
        f"/shifts/{shift}/sign-up",
        data={"idempotency_key": "k"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )
    assert card.status_code == 409
    assert "ممتلئة" in card.text


def test_shift_filters_narrow_the_list(client: TestClient, services: Services) -> None:
    make_shift(services, capacity=3)
    services.runner.catch_up()
    assert "shift-card" in client.get("/shifts?governorate=01").text
    assert "shift-card" not in client.get("/shifts?governorate=02").text


def test_signing_up_before_signing_in_shows_the_sign_in_form(
    client: TestClient, services: Services
) -> None:
    shift = make_shift(services, capacity=3)
    services.runner.catch_up()
    token = form_token(client.get("/shifts").text)
    response = client.post(
        f"/shifts/{shift}/sign-up", data={"idempotency_key": "k", "_csrf_token": token}
    )
    assert response.status_code == 401
    assert 'action="/sign-in"' in response.text


def test_sign_in_and_out_with_the_forms(client: TestClient, services: Services) -> None:
    phone = mobile()
    services.dispatcher.run(RegisterVolunteer("Nour Ali", phone, national_id(), "01", PASSWORD))
    token = form_token(client.get("/sign-in").text)
    wrong = client.post(
        "/sign-in", data={"phone": phone, "password": "wrong-password-1", "_csrf_token": token}
    )
    assert wrong.status_code == 409 and 'role="alert"' in wrong.text
    right = client.post(
        "/sign-in",
        data={"phone": phone, "password": PASSWORD, "_csrf_token": token, "next": "/profile"},
        follow_redirects=False,
    )
    assert right.headers["location"] == "/profile"
    services.runner.catch_up()
    profile = client.get("/profile")
    assert "Nour Ali" in profile.text and profile.headers["cache-control"] == "no-store"
    out = client.post(
        "/sign-out", data={"_csrf_token": form_token(profile.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    assert client.get("/profile").status_code == 401


def test_long_shift_lists_come_in_pages(client: TestClient, services: Services) -> None:
    make_shift(services, capacity=1)
    site = services.dispatcher.run(OpenSite("big", "packing", "01", "كبير", "Big"), SYSTEM)
    start = tomorrow(0)
    for n in range(45):
        services.dispatcher.run(
            ScheduleShift(
                site,
                "packer",
                start + timedelta(minutes=10 * n),
                start + timedelta(minutes=10 * n + 60),
                5,
            ),
            SYSTEM,
        )
    services.runner.catch_up()
    first = client.get("/shifts").text
    second = client.get("/shifts?page=2").text
    assert first.count('class="shift-card"') == 40 and 'rel="next"' in first
    assert second.count('class="shift-card"') == 6 and 'rel="prev"' in second
    listed = client.get("/api/v1/shifts", params={"limit": 10, "offset": 40}).json()
    assert len(listed) == 6
