"""The registration form as a person on a phone meets it: every mistake said at once, in a
summary at the top linking to each field, and everything typed kept but the password."""

from __future__ import annotations

import re
from html import unescape

from litestar.testing import TestClient

from coordination.governorates import UnknownGovernorate
from coordination.identity import NationalIdLength
from coordination.passwords import PasswordLength
from coordination.volunteer import InvalidName
from tests.e2e.test_pages import form_token
from tests.helpers import mobile, national_id
from web.platform.errors import message_of


def summary_of(html: str) -> list[tuple[str, str]]:
    """(field, message) for each link of the error summary, in order."""
    match = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S)
    assert match, "the page opens with an error summary"
    return [
        (field, unescape(text))
        for field, text in re.findall(r'<a href="#([a-z_]+)">([^<]+)</a>', match.group(0))
    ]


def value_of(html: str, field: str) -> str:
    match = re.search(rf'<input id="{field}" name="{field}" value="([^"]*)"', html)
    assert match, f"the form has {field}"
    return unescape(match.group(1))


def test_four_mistakes_are_said_at_once_and_the_valid_fields_are_kept(
    client: TestClient,
) -> None:
    client.get("/language/en?next=/register")
    phone, nid = mobile(), national_id()
    form = {
        "_csrf_token": form_token(client.get("/register").text),
        "full_name": "1",  # no letter: not a name
        "phone": phone,
        "national_id": "2990101",  # too short
        "governorate": "99",  # not a governorate
        "password": "short",  # too short
    }
    response = client.post("/register", data=form)
    assert response.status_code == 422
    html = response.text
    assert summary_of(html) == [
        ("full_name", message_of(InvalidName(minimum=2, maximum=100), "en")),
        ("national_id", message_of(NationalIdLength(), "en")),
        ("governorate", message_of(UnknownGovernorate(code="99"), "en")),
        ("password", message_of(PasswordLength(minimum=8, maximum=64), "en")),
    ]
    assert html.count('class="field-error"') == 4
    assert html.count('aria-invalid="true"') == 4
    assert value_of(html, "phone") == phone, "a valid field is kept"
    assert value_of(html, "full_name") == "1" and value_of(html, "national_id") == "2990101"
    assert 'name="password" type="password"' in html and "short" not in html.split("<form")[1]

    form.update(full_name="Mona Hassan", national_id=nid, governorate="01", password="short")
    html = client.post("/register", data=form).text
    assert [field for field, _ in summary_of(html)] == ["password"]
    assert value_of(html, "national_id") == nid and value_of(html, "full_name") == "Mona Hassan"
    assert re.search(r'<option value="01"\s+selected', html), "the governorate stays chosen"


def test_the_fields_ask_a_phone_for_the_right_keyboard(client: TestClient) -> None:
    html = client.get("/register").text
    assert re.search(
        r'id="phone"[^>]*type="tel" inputmode="tel" autocomplete="tel" dir="ltr"', html
    )
    assert re.search(r'id="national_id"[^>]*inputmode="numeric" dir="ltr"', html)
    assert re.search(r'id="password"[^>]*autocomplete="new-password"', html)
    sign_in = client.get("/sign-in").text
    assert re.search(r'id="password"[^>]*autocomplete="current-password"', sign_in)


def test_a_refused_sign_in_keeps_the_phone_and_links_to_it(client: TestClient) -> None:
    phone = mobile()
    form = {"_csrf_token": form_token(client.get("/sign-in").text), "phone": phone}
    response = client.post("/sign-in", data={**form, "password": "not the password"})
    assert response.status_code >= 400
    assert [field for field, _ in summary_of(response.text)] == ["phone"]
    assert value_of(response.text, "phone") == phone
