"""The waitlist and the inbox over HTTP (in-process client): without JavaScript, with htmx
and by the JSON API."""

from __future__ import annotations

from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sign_ups.commands import SignUp, Withdraw
from coordination.permissions import SYSTEM, Actor
from tests.e2e.test_pages import form_token, register
from tests.helpers import PASSWORD, mobile, national_id
from tests.integration.scenarios import make_shift
from web.bootstrap import Services


def full_shift(services: Services) -> tuple[UUID, UUID]:
    shift = make_shift(services, capacity=1)
    holder = services.dispatcher.run(
        RegisterVolunteer("Holder", mobile(), national_id(), "01", PASSWORD)
    )
    services.dispatcher.run(SignUp(shift, holder, "x"), SYSTEM)
    services.runner.catch_up()
    return shift, holder


def test_join_without_javascript_then_promoted_and_told(
    client: TestClient, services: Services
) -> None:
    shift, holder = full_shift(services)
    register(client)
    token = form_token(client.get("/shifts").text)
    joined = client.post(
        f"/shifts/{shift}/waitlist",
        data={"_csrf_token": token, "next": "/shifts"},
        follow_redirects=False,
    )
    assert joined.status_code == 303
    page = client.get("/shifts").text
    assert "ترتيبك في قائمة الانتظار: ١." in page  # the flash and the card both say it
    assert 'data-waiting="1"' in page
    waiting_for = client.get("/my-shifts").text
    assert "في انتظار مكان" in waiting_for and 'data-position="1"' in waiting_for
    services.dispatcher.run(Withdraw(shift, holder), Actor(volunteer_id=holder))
    services.runner.catch_up()
    inbox = client.get("/inbox").text
    assert 'data-message="promoted"' in inbox
    assert 'class="unread-count"' in inbox
    read = client.post("/inbox/read", data={"_csrf_token": token}, follow_redirects=False)
    assert read.status_code == 303
    assert 'class="unread-count"' not in client.get("/inbox").text


def test_leave_with_htmx_and_join_by_the_api(client: TestClient, services: Services) -> None:
    shift, _ = full_shift(services)
    register(client)
    token = form_token(client.get("/shifts").text)
    me = client.get("/api/v1/session").json()["volunteer_id"]
    headers = {"X-CSRF-Token": token}
    joined = client.post(
        f"/api/v1/shifts/{shift}/waitlist", json={"volunteer_id": me}, headers=headers
    )
    assert joined.status_code == 200
    assert joined.json() == {"shift_id": str(shift), "volunteer_id": me, "position": 1}
    card = client.post(f"/shifts/{shift}/waitlist/leave", headers={**headers, "HX-Request": "true"})
    assert card.status_code == 200
    assert "خرجت من قائمة الانتظار." in card.text
    assert "انضم إلى قائمة الانتظار" in card.text
    again = client.delete(f"/api/v1/shifts/{shift}/waitlist/{me}", headers=headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "not_waiting"
