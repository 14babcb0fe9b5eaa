"""A national ID is no secret: an association importing a registered volunteer's ID asks
them to join, sees nothing of them until they accept, and a row with another mobile number
is a conflict, neither linked nor asked."""

from __future__ import annotations

import time
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.sites.commands import FoundAssociation
from coordination.permissions import SYSTEM, Grant, Role
from tests.e2e.clients import sign_in
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services
from web.platform.render import spaced_phone


def world(services: Services) -> tuple[UUID, str, str, str, str]:
    """An association with a coordinator, and another association's volunteer."""
    home = services.dispatcher.run(FoundAssociation("youth", "شباب الخير", "Youth", "01"), SYSTEM)
    other = services.dispatcher.run(FoundAssociation("hands", "أيادي", "Hands", "02"), SYSTEM)
    phone, digits = mobile(), national_id()
    services.dispatcher.run(
        RegisterVolunteer("Sara Nabil", phone, digits, "02", PASSWORD, other), SYSTEM
    )
    coordinator = mobile()
    grant = Grant(Role.ASSOCIATION_COORDINATOR, str(home))
    services.dispatcher.run(CreateUser(coordinator, "Coordinator", PASSWORD, [grant]), SYSTEM)
    services.runner.catch_up()
    return home, coordinator, phone, digits, "Sara Nabil"


def imported(client: TestClient, association: UUID, row: str) -> tuple[str, str]:
    """The finished import's panel and its rejected rows."""
    content = f"full_name,phone,national_id,governorate\n{row}\n".encode()
    client.headers["Accept-Language"] = "en"
    answer = client.post(
        f"/associations/{association}/import",
        files={"file": ("volunteers.csv", content)},
        headers={"Accept-Language": "en"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    for _ in range(600):
        panel = client.get(f"{answer.headers['location']}/panel").text
        if 'data-finished="1"' in panel:
            return panel, client.get(f"{answer.headers['location']}/rejected.csv").text
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def reveals(client: TestClient, association: UUID, phone: str, digits: str, name: str) -> bool:
    roster_page = client.get(f"/associations/{association}").text
    roster_api = client.get(f"/api/v1/associations/{association}/volunteers").text
    shown = roster_page + roster_api
    return any(secret in shown for secret in (name, phone, phone[-4:], digits[-4:]))


def test_an_id_with_another_phone_is_a_conflict_and_reveals_nothing(
    client: TestClient, services: Services
) -> None:
    home, coordinator, phone, digits, name = world(services)
    sign_in(client, coordinator)
    panel, rejected = imported(client, home, f"Anyone,{mobile()},{digits},Cairo")
    services.runner.catch_up()
    assert "import_phone_differs" in rejected
    assert "0 asked to join" in panel
    assert not reveals(client, home, phone, digits, name)
    roster = client.get(f"/api/v1/associations/{home}/volunteers").json()
    assert roster == []
    client.cookies.clear()
    sign_in(client, phone)
    service = client.get("/my-service").text
    assert "data-link-request" not in service


def test_the_volunteer_is_asked_and_shown_only_once_they_accept(
    client: TestClient, services: Services
) -> None:
    home, coordinator, phone, digits, name = world(services)
    sign_in(client, coordinator)
    panel, rejected = imported(client, home, f"Whoever,{phone},{digits},Cairo")
    services.runner.catch_up()
    assert "1 asked to join" in panel and rejected.count("\n") <= 1
    assert not reveals(client, home, phone, digits, name)
    coordinator_cookies = dict(client.cookies)
    coordinator_csrf = client.headers["X-CSRF-Token"]

    client.cookies.clear()
    sign_in(client, phone)
    service = client.get("/my-service").text
    assert f'data-link-request="{home}"' in service and "Youth" in service
    answer = client.post(f"/my-service/links/{home}", data={"accepts": "1"})
    assert answer.status_code == 200, answer.text
    services.runner.catch_up()
    assert "data-link-request" not in client.get("/my-service").text

    client.cookies.clear()
    client.cookies.update(coordinator_cookies)
    client.headers["X-CSRF-Token"] = coordinator_csrf
    roster = client.get(f"/api/v1/associations/{home}/volunteers").json()
    assert [row["full_name"] for row in roster] == [name]
    assert spaced_phone("+2" + phone) in client.get(f"/associations/{home}").text


def test_a_declined_request_leaves_the_roster_untouched(
    client: TestClient, services: Services
) -> None:
    home, coordinator, phone, digits, name = world(services)
    sign_in(client, coordinator)
    imported(client, home, f"Whoever,{phone},{digits},Cairo")
    services.runner.catch_up()
    client.cookies.clear()
    sign_in(client, phone)
    answer = client.post(f"/my-service/links/{home}", data={"accepts": "0"})
    assert answer.status_code == 200, answer.text
    again = client.post(f"/my-service/links/{home}", data={"accepts": "1"}, follow_redirects=False)
    assert again.status_code == 303  # the request is gone: a refusal said as a flash
    services.runner.catch_up()
    assert "data-link-request" not in client.get("/my-service").text
    links = services.db.query("SELECT * FROM volunteer_links")
    assert links == []
