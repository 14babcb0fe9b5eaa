"""A way back from a forgotten password: the volunteer's coordinator (or the operations room)
issues a one-time code by phone, shown once; the volunteer sets a new password with it."""

from __future__ import annotations

import re
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.sites.commands import FoundAssociation
from coordination.permissions import SYSTEM, Grant, Role
from tests.e2e.test_change_password import signs_in
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services


def staff(services: Services, role: Role, scope: str = "") -> str:
    phone = mobile()
    services.dispatcher.run(CreateUser(phone, "Staff member", PASSWORD, [Grant(role, scope)]))
    return phone


def issue(client: TestClient, phone: str) -> tuple[int, str]:
    token = form_token(client.get("/reset-codes").text)
    answer = client.post("/reset-codes", data={"_csrf_token": token, "phone": phone})
    found = re.search(r"data-code>([^<]+)<", answer.text)
    return answer.status_code, found.group(1) if found else ""


def test_a_coordinator_issues_a_code_once_and_the_volunteer_sets_a_new_password(
    client: TestClient, services: Services
) -> None:
    run = services.dispatcher.run
    mine: UUID = run(FoundAssociation("a", "جمعية أ", "Association A", "01"), SYSTEM)
    other: UUID = run(FoundAssociation("b", "جمعية ب", "Association B", "01"), SYSTEM)
    volunteer = mobile()
    run(RegisterVolunteer("منى حسن", volunteer, national_id(), "01", PASSWORD, mine))
    services.runner.catch_up()

    assert signs_in(client, staff(services, Role.ASSOCIATION_COORDINATOR, str(other)), PASSWORD)
    status, code = issue(client, volunteer)
    assert status == 403 and code == "", "another association's coordinator is refused"
    status, _ = issue(client, mobile())
    assert status == 403, "an unknown phone is refused alike: nothing is learnt from it"

    assert signs_in(client, staff(services, Role.ASSOCIATION_COORDINATOR, str(mine)), PASSWORD)
    status, code = issue(client, volunteer)
    assert status == 200 and len(code) == 10
    assert code not in client.get("/reset-codes").text, "the code is shown once"

    form = form_token(client.get("/set-password").text)
    new = "a-fresh-Katf-password-77"
    data = {"_csrf_token": form, "phone": volunteer, "code": code, "password": new}
    assert client.post("/set-password", data=data, follow_redirects=False).status_code == 303
    again = {**data, "_csrf_token": form_token(client.get("/set-password").text)}
    assert client.post("/set-password", data=again).status_code >= 400, "a code works once"
    assert signs_in(client, volunteer, new)


def test_the_operations_room_issues_a_code_for_any_volunteer(
    client: TestClient, services: Services
) -> None:
    volunteer = mobile()
    services.dispatcher.run(RegisterVolunteer("Omar", volunteer, national_id(), "01", PASSWORD))
    assert signs_in(client, staff(services, Role.OPERATIONS_AGENT), PASSWORD)
    status, code = issue(client, volunteer)
    assert status == 200 and code
    status, code = issue(client, mobile())
    assert status == 404 and not code, "the room hears that nobody has that phone"
