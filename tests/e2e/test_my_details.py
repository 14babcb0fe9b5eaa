"""A volunteer changes their own name, governorate and home association on the profile: by
plain form or htmx, every mistake said at once with what was typed kept, and the rosters follow
(the association they leave no longer sees them; the one they choose does)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import ChangeMyDetails, CreateUser, RegisterVolunteer
from coordination.areas.sites.commands import FoundAssociation
from coordination.permissions import SYSTEM, Actor, Grant, Role
from coordination.volunteer import Volunteer
from projections.volunteer_directory import find_volunteer
from tests.e2e.clients import sign_in
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services


def world(services: Services) -> dict[str, Any]:
    """Two associations, a coordinator for each, and a volunteer of the first."""
    youth = services.dispatcher.run(FoundAssociation("youth", "شباب الخير", "Youth", "01"), SYSTEM)
    hands = services.dispatcher.run(FoundAssociation("hands", "أيادي", "Hands", "02"), SYSTEM)
    coordinators = {}
    for association in (youth, hands):
        coordinators[association] = phone = mobile()
        grant = Grant(Role.ASSOCIATION_COORDINATOR, str(association))
        services.dispatcher.run(CreateUser(phone, "Coordinator", PASSWORD, [grant]), SYSTEM)
    phone = mobile()
    volunteer = services.dispatcher.run(
        RegisterVolunteer("Sara Nabil", phone, national_id(), "01", PASSWORD, youth), SYSTEM
    )
    services.runner.catch_up()
    return {
        "youth": youth,
        "hands": hands,
        "coordinators": coordinators,
        "phone": phone,
        "volunteer": volunteer,
    }


def roster_names(client: TestClient, coordinator: str, association: UUID) -> list[str]:
    client.cookies.clear()
    sign_in(client, coordinator)
    roster = client.get(f"/api/v1/associations/{association}/volunteers")
    assert roster.status_code == 200, roster.text
    return [row["full_name"] for row in roster.json()]


def test_a_plain_form_changes_the_details_and_the_rosters_follow(
    client: TestClient, services: Services
) -> None:
    w = world(services)
    sign_in(client, w["phone"])
    profile = client.get("/profile").text
    assert 'action="/profile/details"' in profile and 'value="Sara Nabil"' in profile
    details = {"full_name": "  Sara   Nabil Adel ", "governorate": "02"}
    data = {"_csrf_token": form_token(profile), **details, "association_id": str(w["hands"])}
    answer = client.post("/profile/details", data=data, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/profile", answer.text
    services.runner.catch_up()  # a projection worker's part, where the views are not embedded
    changed = client.get("/profile").text
    assert "تم حفظ بياناتك الجديدة" in changed
    assert "Sara Nabil Adel" in changed and "أيادي" in changed

    me = find_volunteer(services.db, services.sealer, str(w["volunteer"]))
    assert me is not None
    assert (me["full_name"], me["governorate"], me["association_id"]) == (
        "Sara Nabil Adel",
        "02",
        str(w["hands"]),
    )
    assert roster_names(client, w["coordinators"][w["youth"]], w["youth"]) == []
    assert roster_names(client, w["coordinators"][w["hands"]], w["hands"]) == ["Sara Nabil Adel"]
    account = services.db.query(
        "SELECT full_name_sealed FROM admin_accounts WHERE volunteer_id = %s",
        (str(w["volunteer"]),),
    )
    assert [services.sealer.unseal(row["full_name_sealed"]) for row in account] == [
        "Sara Nabil Adel"
    ], "the account's page, should the volunteer be made staff, names them as they do"


def test_every_mistake_is_said_at_once_and_what_was_typed_is_kept(
    client: TestClient, services: Services
) -> None:
    w = world(services)
    sign_in(client, w["phone"])
    client.headers["Accept-Language"] = "en"
    token = form_token(client.get("/profile").text)
    typed = {"full_name": "x", "governorate": "99", "association_id": str(UUID(int=7))}
    refused = client.post("/profile/details", data={"_csrf_token": token, **typed})
    assert refused.status_code == 422
    page = refused.text
    assert 'class="error-summary"' in page
    for field in ("full_name", "governorate", "association_id"):
        assert f'href="#{field}"' in page and f'id="{field}-error"' in page
    assert "Please enter your full name" in page and "This association does not exist." in page
    assert 'name="full_name" value="x"' in page  # kept as typed

    not_an_id = {"full_name": "Sara Adel", "governorate": "01", "association_id": "nope"}
    not_refused = client.post("/profile/details", data={"_csrf_token": token, **not_an_id})
    assert not_refused.status_code == 422 and "This association does not exist." in not_refused.text
    services.runner.catch_up()
    me = find_volunteer(services.db, services.sealer, str(w["volunteer"]))
    assert me is not None and (me["full_name"], me["governorate"]) == ("Sara Nabil", "01")


def test_htmx_swaps_the_section_with_the_new_details_or_the_mistakes(
    client: TestClient, services: Services
) -> None:
    w = world(services)
    sign_in(client, w["phone"])
    htmx = {"HX-Request": "true", "Accept-Language": "en"}
    wrong = {"full_name": "", "governorate": "01", "association_id": str(w["youth"])}
    refused = client.post("/profile/details", data=wrong, headers=htmx)
    assert refused.status_code == 422
    assert refused.text.lstrip().startswith('<section id="my-details"')
    assert "<html" not in refused.text and "Please enter your full name" in refused.text

    leaving = {"full_name": "Sara Nabil", "governorate": "01", "association_id": ""}
    changed = client.post("/profile/details", data=leaving, headers=htmx)
    assert changed.status_code == 200 and "Your details are changed." in changed.text
    assert "<dt>Home association</dt><dd>None</dd>" in changed.text
    services.runner.catch_up()
    assert roster_names(client, w["coordinators"][w["youth"]], w["youth"]) == []


def test_choosing_an_association_answers_its_request_and_staff_cannot_use_it(
    services: Services,
) -> None:
    w = world(services)
    volunteer = services.app.repository.get(w["volunteer"])
    assert isinstance(volunteer, Volunteer)
    actor = Actor(account_id=None, volunteer_id=w["volunteer"])
    hands = w["hands"]
    volunteer.ask_to_link(hands, None)
    services.app.save(volunteer)
    assert services.dispatcher.run(ChangeMyDetails("Sara Nabil", "01", hands), actor) is True
    again = services.dispatcher.run(ChangeMyDetails("Sara Nabil", "01", hands), actor)
    assert again is False, "the same details again record nothing"
    chosen = services.app.repository.get(w["volunteer"])
    assert chosen.association_id == hands and hands not in chosen.link_requests
    services.runner.catch_up()
    rows = services.db.query(
        "SELECT 1 FROM volunteer_link_requests WHERE volunteer_id = %s", (str(w["volunteer"]),)
    )
    assert rows == []
