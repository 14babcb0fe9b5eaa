"""A volunteer's messages come in the language they read (the page's when they registered,
then what they choose on the profile, said back to them in the page's language; a language
the campaign does not write in is refused with a sentence, not saved), and to the e-mail
address they give on the profile."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from tests.e2e.clients import sign_in
from tests.e2e.test_pages import form_token, register
from tests.helpers import mobile
from web.bootstrap import Services


def chosen(profile: str) -> list[str]:
    select = profile[profile.index('id="message_language"') :]
    select = select[: select.index("</select>")]
    return re.findall(r'<option value="(\w+)"[^>]*\bselected\b', select)


def test_registered_in_english_then_arabic_chosen_on_the_profile(
    client: TestClient, services: Services
) -> None:
    phone = mobile()
    client.get("/language/en?next=/register")
    assert register(client, phone=phone).status_code == 303  # type: ignore[attr-defined]
    services.runner.catch_up()
    client.cookies.clear()
    client.get("/language/en?next=/sign-in")
    sign_in(client, phone)
    profile = client.get("/profile").text
    assert "Language of my messages" in profile
    assert chosen(profile) == ["en"]

    form = {"language": "ar", "_csrf_token": form_token(profile)}
    answer = client.post("/profile/language", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/profile"
    profile = client.get("/profile").text
    assert "Your text messages will come in the language you chose." in profile
    assert chosen(profile) == ["ar"]

    form = {"language": "fr", "_csrf_token": form_token(profile)}
    refused = client.post("/profile/language", data=form)
    assert "Please choose Arabic or English." in refused.text
    assert chosen(client.get("/profile").text) == ["ar"]


def test_the_choice_reads_as_arabic_on_the_arabic_page(
    client: TestClient, services: Services
) -> None:
    phone = mobile()
    client.get("/language/ar?next=/register")
    register(client, phone=phone)
    services.runner.catch_up()
    client.cookies.clear()
    sign_in(client, phone)
    profile = client.get("/profile").text
    assert "لغة رسائلي" in profile and "حفظ اللغة" in profile
    assert chosen(profile) == ["ar"]


def test_an_email_address_is_given_kept_when_mistyped_and_taken_away(
    client: TestClient, services: Services
) -> None:
    """Given on the profile, it is shown there and the messages go to it too; a mistyped one
    is refused in the page's language with what was typed kept, and the one before stays."""
    phone = mobile()
    client.get("/language/en?next=/register")
    register(client, phone=phone)
    services.runner.catch_up()
    client.cookies.clear()
    client.get("/language/en?next=/sign-in")
    sign_in(client, phone)
    profile = client.get("/profile").text
    assert "E-mail for my messages" in profile and email_shown(profile) == ""

    form = {"email": " Mona.Adel@Example.ORG ", "_csrf_token": form_token(profile)}
    answer = client.post("/profile/email", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/profile"
    profile = client.get("/profile").text
    assert "Your messages will also come to this e-mail address." in profile
    assert email_shown(profile) == "Mona.Adel@example.org"

    form = {"email": "mona.adel at example", "_csrf_token": form_token(profile)}
    refused = client.post("/profile/email", data=form)
    assert refused.status_code == 422
    assert "Please enter an e-mail address such as name@example.com" in refused.text
    assert email_shown(refused.text) == "mona.adel at example"  # what was typed, to correct
    assert 'aria-invalid="true" aria-describedby="email-error"' in refused.text
    assert email_shown(client.get("/profile").text) == "Mona.Adel@example.org"

    client.get("/language/ar?next=/profile")
    profile = client.get("/profile").text
    assert "بريدي الإلكتروني للرسائل" in profile
    form = {"email": "", "_csrf_token": form_token(profile)}
    answer = client.post("/profile/email", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    profile = client.get("/profile").text
    assert "لن تصلك رسائلك على البريد الإلكتروني بعد الآن." in profile
    assert email_shown(profile) == ""


def email_shown(profile: str) -> str:
    field = re.search(r'<input id="email"[^>]*\bvalue="([^"]*)"', profile)
    assert field is not None
    return field.group(1)
