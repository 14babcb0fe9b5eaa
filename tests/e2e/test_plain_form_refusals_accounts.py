"""A refused registration posted from a plain form (no JavaScript) shows its reason."""

from __future__ import annotations

from litestar.testing import TestClient

from coordination.account import PhoneTaken
from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.volunteer import AlreadyRegistered
from tests.e2e.plain_forms import says
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services


def registered(services: Services) -> tuple[str, str]:
    phone, nid = mobile(), national_id()
    services.dispatcher.run(RegisterVolunteer("Nour Ali", phone, nid, "01", PASSWORD))
    return phone, nid


def plain_registration(client: TestClient, **overrides: str) -> str:
    """The page a browser without JavaScript shows after posting the form."""
    form = {
        "full_name": "Mona Hassan",
        "phone": mobile(),
        "national_id": national_id(),
        "governorate": "01",
        "password": PASSWORD,
        "_csrf_token": form_token(client.get("/register").text),
        **overrides,
    }
    response = client.post("/register", data=form, follow_redirects=True)
    assert response.status_code >= 400, "the registration is refused"
    assert "HX-Request" not in response.request.headers
    return response.text


def test_a_taken_phone_is_explained_on_the_registration_page(
    client: TestClient, services: Services
) -> None:
    phone, _ = registered(services)
    page = plain_registration(client, phone=phone)
    assert says(page, PhoneTaken(), "ar")


def test_a_registered_national_id_is_explained_in_english(
    client: TestClient, services: Services
) -> None:
    _, nid = registered(services)
    client.get("/language/en?next=/register")
    page = plain_registration(client, national_id=nid)
    assert says(page, AlreadyRegistered(), "en")
