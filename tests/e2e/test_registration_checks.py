"""An imported record never keeps the national ID's owner out: registering with the ID of a
record imported with another mobile number, never claimed, is accepted into a check that the
importing association or the operations room confirms or rejects; meanwhile the person signs
in, reads that their registration is being checked, and cannot sign up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.roster.commands import ImportVolunteers
from coordination.areas.sites.commands import FoundAssociation, OpenSite, ScheduleShift
from coordination.permissions import SYSTEM, Actor, Grant, Role
from tests.e2e.clients import prime, sign_in
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services
from web.platform.render import spaced_phone


def planted(services: Services) -> dict[str, Any]:
    """A record imported by an association with a mobile number that is not the ID's owner's."""
    home = services.dispatcher.run(FoundAssociation("youth", "شباب الخير", "Youth", "01"), SYSTEM)
    site = services.dispatcher.run(OpenSite("hall", "packing", "01", "القاعة", "Hall"), SYSTEM)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    shift = services.dispatcher.run(
        ScheduleShift(site, "packer", start, start + timedelta(hours=3), 5), SYSTEM
    )
    coordinator = mobile()
    grant = Grant(Role.ASSOCIATION_COORDINATOR, str(home))
    account = services.dispatcher.run(
        CreateUser(coordinator, "Hoda Coordinator", PASSWORD, [grant]), SYSTEM
    )
    digits, planted_phone = national_id(), mobile()
    importer = Actor(account_id=account, grants=frozenset({grant}))
    row = {"full_name": "Someone Else", "phone": planted_phone, "national_id": digits}
    assert services.dispatcher.run(ImportVolunteers(home, [row]), importer) == ["created"]
    services.runner.catch_up()
    return {
        "home": home,
        "shift": shift,
        "coordinator": coordinator,
        "digits": digits,
        "planted_phone": planted_phone,
        "owner_phone": mobile(),
    }


def register(client: TestClient, world: dict[str, Any], phone: str) -> Any:
    body = {
        "full_name": "Amal Fathy",
        "phone": phone,
        "national_id": world["digits"],
        "governorate": "01",
        "password": PASSWORD,
    }
    return prime(client).post("/api/v1/volunteers", json=body, headers={"Accept-Language": "en"})


def sign_up(client: TestClient, world: dict[str, Any], volunteer_id: str) -> Any:
    return client.post(
        f"/api/v1/shifts/{world['shift']}/sign-ups",
        json={"volunteer_id": volunteer_id},
        headers={"Accept-Language": "en"},
    )


def check(client: TestClient, world: dict[str, Any], who: str, confirms: bool) -> None:
    client.cookies.clear()
    sign_in(client, who)
    pending = client.get("/verifications", headers={"Accept-Language": "en"}).text
    assert f'data-verification="{world["volunteer_id"]}"' in pending
    assert "Amal Fathy" in pending and spaced_phone(f"+20{world['owner_phone'][1:]}") in pending
    assert "Youth" in pending and "Hoda Coordinator" in pending  # who imported the record
    answer = client.post(
        f"/verifications/{world['volunteer_id']}", data={"confirms": "1" if confirms else "0"}
    )
    assert answer.status_code == 200, answer.text


def test_the_owner_registers_is_checked_then_confirmed(
    client: TestClient, services: Services
) -> None:
    world = planted(services)
    registered = register(client, world, world["owner_phone"])
    assert registered.status_code in (200, 201), registered.text
    world["volunteer_id"] = registered.json()["id"]
    services.runner.catch_up()

    sign_in(client, world["owner_phone"])
    assert "data-being-checked" in client.get("/shifts").text
    refused = sign_up(client, world, world["volunteer_id"])
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "registration_being_checked"

    check(client, world, world["coordinator"], confirms=True)
    services.runner.catch_up()
    assert "data-verification" not in client.get("/verifications").text
    roster = client.get(f"/api/v1/associations/{world['home']}/volunteers").json()
    assert [row["full_name"] for row in roster] == ["Amal Fathy"]
    assert roster[0]["phone"].endswith(world["owner_phone"][1:])  # the record took their number

    client.cookies.clear()
    sign_in(client, world["owner_phone"])
    assert "data-being-checked" not in client.get("/shifts").text
    assert sign_up(client, world, world["volunteer_id"]).status_code in (200, 201)

    client.cookies.clear()
    late = register(client, world, world["planted_phone"])  # the imported number claims too late
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "already_registered"


def test_a_rejected_registration_lets_go_of_the_record(
    client: TestClient, services: Services
) -> None:
    world = planted(services)
    operator = mobile()
    services.dispatcher.run(
        CreateUser(operator, "Room Agent", PASSWORD, [Grant(Role.OPERATIONS_AGENT)]), SYSTEM
    )
    registered = register(client, world, world["owner_phone"])
    assert registered.status_code in (200, 201), registered.text
    world["volunteer_id"] = registered.json()["id"]
    services.runner.catch_up()
    again = register(client, world, mobile())  # a second claim waits for the first
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "registration_being_checked"

    check(client, world, operator, confirms=False)
    services.runner.catch_up()
    client.cookies.clear()
    sign_in(client, world["owner_phone"])
    assert client.get("/my-service").status_code == 403  # no longer speaks for the record
    assert sign_up(client, world, world["volunteer_id"]).status_code == 403


def test_only_the_importer_and_the_room_see_registrations_to_check(
    client: TestClient, services: Services
) -> None:
    world = planted(services)
    other = services.dispatcher.run(FoundAssociation("hands", "أيادي", "Hands", "02"), SYSTEM)
    outsider = mobile()
    grant = Grant(Role.ASSOCIATION_COORDINATOR, str(other))
    services.dispatcher.run(CreateUser(outsider, "Other Coordinator", PASSWORD, [grant]), SYSTEM)
    registered = register(client, world, world["owner_phone"])
    volunteer_id = UUID(registered.json()["id"])
    services.runner.catch_up()
    client.cookies.clear()
    sign_in(client, outsider)
    assert "data-verification" not in client.get("/verifications").text
    refused = client.post(f"/verifications/{volunteer_id}", data={"confirms": "1"})
    assert "data-verification" not in refused.text
    services.runner.catch_up()
    client.cookies.clear()
    sign_in(client, world["owner_phone"])
    assert "data-being-checked" in client.get("/shifts").text  # still waiting
