"""The outside probe's findings (issue 20) on who sees and does what: the shared pool names
nobody, nor does an exchange before its loan, a desk learns no id and keeps no code, the past
board is rationed per person, a packing desk takes no items in."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.exchange.commands import AnswerOffer
from coordination.areas.sites.commands import FoundAssociation, IssueDeviceToken
from coordination.areas.training.commands import Enrol, RecordAttendance, ScheduleSession
from coordination.permissions import SYSTEM, Actor, Grant, Role
from tests.e2e.clients import sign_in
from tests.e2e.stadium import stadium
from tests.e2e.test_association_pages import two_associations
from tests.e2e.test_packing_pages import enrolled_desk, volunteer
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services
from web.platform.ratelimit import PAST_BOARD
from web.platform.sessions import SealedSessionBackend, SealedSessionConfig, session_secret


def test_the_pool_counts_other_associations_volunteers_and_names_none(
    client: TestClient, services: Services
) -> None:
    world = two_associations(services)
    b = UUID(world["b"])
    medic = services.dispatcher.run(
        RegisterVolunteer("Hala Medic", mobile(), national_id(), "01", PASSWORD, b)
    )
    session = services.dispatcher.run(
        ScheduleSession("first_aid", datetime.now(UTC), "Cairo", 5), SYSTEM
    )
    services.dispatcher.run(Enrol(session, medic), SYSTEM)
    services.dispatcher.run(RecordAttendance(session, medic), SYSTEM)
    services.runner.catch_up()
    sign_in(client, world["coordinator_a"])
    for certificate in ("", "first_aid"):
        answer = client.get("/api/v1/pool", params={"certificate": certificate})
        page = client.get("/pool", params={"certificate": certificate})
        for said in (answer.text, page.text):
            for secret in (world["lent"], str(medic), "Mariam Adel", "Hala Medic"):
                assert secret not in said
            assert "volunteer_id" not in said and "data-volunteer=" not in said
    groups = client.get("/api/v1/pool").json()
    theirs = next(g for g in groups if g["association_id"] == world["b"])
    assert theirs == {
        "association_id": world["b"],
        "governorate": "01",
        "volunteers": 2,
        "certificates": {"first_aid": 1},
    }
    medics = client.get("/api/v1/pool", params={"certificate": "first_aid"}).json()
    assert [(g["association_id"], g["volunteers"]) for g in medics] == [(world["b"], 1)]


def test_the_past_board_is_rationed_per_person_with_a_sentence(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    services.runner.catch_up()
    admin = mobile()
    services.dispatcher.run(
        CreateUser(admin, "Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM
    )
    past = f"/packing/{world['site']}/at"
    sign_in(client, world["manager"])
    assert client.get(past, params={"time": "not a time"}).status_code == 422  # not replayed
    for _ in range(PAST_BOARD.limit):
        assert client.get(past, params={"time": "00:00"}).status_code == 200
    refused = client.get(past, params={"time": "00:00"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= PAST_BOARD.window
    assert "طلبت عرض اللوحة في أوقات سابقة مرات كثيرة" in refused.text
    client.get("/language/en")
    refused = client.get(past, params={"time": "00:00"})
    assert refused.status_code == 429
    assert "You have asked for the board at earlier times too often" in refused.text
    assert client.get(f"/packing/{world['site']}").status_code == 200  # the live board stays
    sign_in(client, admin)  # another person is not held back by the first one's replays
    assert client.get(past, params={"time": "00:00"}).status_code == 200


def test_a_packing_desk_records_no_items_in_where_a_points_device_may(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    _, point_device = services.dispatcher.run(
        IssueDeviceToken(UUID(world["point"]), "Point tablet"), SYSTEM
    )
    services.runner.catch_up()
    body = {"item": "clothing", "count": 5}
    for site, secret, status in (
        (world["site"], world["desk"], 403),
        (world["point"], point_device, 200),
    ):
        answer = client.post(
            f"/api/v1/sites/{site}/items-in",
            json=body,
            headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": f"in-{site}"},
        )
        assert answer.status_code == status, answer.text
    sign_in(client, world["manager"])
    taken = client.post(
        f"/api/v1/sites/{world['site']}/items-in", json=body, headers={"Idempotency-Key": "m"}
    )
    assert taken.status_code == 200 and taken.json()["on_hand"] == 5


def test_a_desk_scanning_a_phone_learns_no_volunteer_id(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    arriving, leaving = volunteer(services, world), volunteer(services, world)
    services.runner.catch_up()
    scans = f"/api/v1/sites/{world['site']}/check-ins"
    desk = {"Authorization": f"Bearer {world['desk']}"}
    by_phone = client.post(
        scans, json={"phone": arriving["phone"]}, headers={**desk, "Idempotency-Key": "p"}
    )
    assert by_phone.status_code == 201 and by_phone.json()["recorded"] is True
    assert "volunteer_id" not in by_phone.json() and arriving["id"] not in by_phone.text
    by_id = client.post(
        scans, json={"volunteer_id": leaving["id"]}, headers={**desk, "Idempotency-Key": "i"}
    )
    assert by_id.json()["volunteer_id"] == leaving["id"]  # it named them by id itself
    sign_in(client, world["manager"])  # the site's manager sees who is at the site
    again = client.post(scans, json={"phone": arriving["phone"]}, headers={"Idempotency-Key": "p"})
    assert again.json()["volunteer_id"] == arriving["id"]


def test_an_enrolled_desks_session_holds_its_tokens_id_never_its_code(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    services.runner.catch_up()
    enrolled_desk(client, world)
    config = SealedSessionConfig(secret=session_secret(services.settings.secret_key))
    sealed = [v.encode() for k, v in sorted(client.cookies.items()) if k.startswith("katf_session")]
    held = SealedSessionBackend(config=config).load_data(sealed)
    assert held["device_token_id"] and world["desk"] not in json.dumps(held)


def test_an_offered_volunteer_is_named_to_the_asker_only_once_accepted(
    client: TestClient, services: Services
) -> None:
    world = two_associations(services)
    c = services.dispatcher.run(FoundAssociation("c", "جمعية ج", "Association C", "01"), SYSTEM)
    coordinator_c = mobile()
    grant = Grant(Role.ASSOCIATION_COORDINATOR, str(c))
    services.dispatcher.run(CreateUser(coordinator_c, "coordinator_c", PASSWORD, [grant]), SYSTEM)
    theirs = services.dispatcher.run(
        RegisterVolunteer("Omar Fawzy", mobile(), national_id(), "01", PASSWORD, c)
    )
    lent = world["lent"]
    sign_in(client, world["coordinator_a"])
    asked = client.post(
        "/api/v1/exchange/requests",
        json={"association_id": world["a"], "shift_id": world["shift"], "asked": 2},
    )
    request = asked.json()["request_id"]
    for coordinator, offered in ((world["coordinator_b"], lent), (coordinator_c, str(theirs))):
        sign_in(client, coordinator)
        offers = f"/api/v1/exchange/requests/{request}/offers"
        assert client.post(offers, json={"volunteer_id": offered}).json() == {"offered": True}
    services.dispatcher.run(AnswerOffer(UUID(request), True), Actor(volunteer_id=UUID(lent)))
    services.runner.catch_up()
    history = f"/api/v1/exchange/requests/{request}"
    named = client.get(history).json()["steps"]  # association C's coordinator
    assert lent not in str(named) and str(theirs) in str(named)
    sign_in(client, world["coordinator_a"])
    page = client.get(f"/associations/{world['a']}").text
    steps = client.get(history).json()["steps"]
    assert lent not in page and lent not in str(steps) and str(theirs) not in str(steps)
    handle = next(s["offer"] for s in steps if s["step"] == "consented")
    acceptances = f"/api/v1/exchange/requests/{request}/acceptances"
    unknown = client.post(acceptances, json={"offer": "0" * 32})
    assert unknown.status_code == 404
    accepted = client.post(acceptances, json={"offer": handle})
    assert accepted.json() == {"volunteer_id": lent, "lender_id": world["b"]}
    services.runner.catch_up()
    steps = client.get(history).json()["steps"]
    assert lent in str(steps) and str(theirs) not in str(steps)  # lent to A now; C's is not
