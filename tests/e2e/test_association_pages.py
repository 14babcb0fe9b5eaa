"""Associations over HTTP: a loan from request to ledger, the volunteer's consent in the app,
the shared pool by numbers (nobody named), and the certificate of service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.attendance.commands import CheckIn, CheckOut
from coordination.areas.exchange.commands import AnswerOffer
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import FoundAssociation, OpenSite, ScheduleShift
from coordination.areas.training.commands import Enrol, RecordAttendance, ScheduleSession
from coordination.permissions import SYSTEM, Actor, Grant, Role
from tests.e2e.clients import sign_in
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services
from web.platform.i18n import number


def two_associations(services: Services) -> dict[str, str]:
    a = services.dispatcher.run(FoundAssociation("a", "جمعية أ", "Association A", "01"), SYSTEM)
    b = services.dispatcher.run(FoundAssociation("b", "جمعية ب", "Association B", "01"), SYSTEM)
    site = services.dispatcher.run(
        OpenSite("stadium", "packing", "01", "الاستاد", "Stadium"), SYSTEM
    )
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    shift = services.dispatcher.run(
        ScheduleShift(site, "packer", start, start + timedelta(hours=4), 5), SYSTEM
    )
    phones = {name: mobile() for name in ("coordinator_a", "coordinator_b", "lent_phone")}
    for name, association in (("coordinator_a", a), ("coordinator_b", b)):
        grant = Grant(Role.ASSOCIATION_COORDINATOR, str(association))
        services.dispatcher.run(CreateUser(phones[name], name, PASSWORD, [grant]), SYSTEM)
    lent = services.dispatcher.run(
        RegisterVolunteer("Mariam Adel", phones["lent_phone"], national_id(), "01", PASSWORD, b)
    )
    services.runner.catch_up()
    return {
        "a": str(a),
        "b": str(b),
        "site": str(site),
        "shift": str(shift),
        "lent": str(lent),
        **phones,
    }


def test_a_loan_from_request_to_ledger_over_http(client: TestClient, services: Services) -> None:
    world = two_associations(services)
    sign_in(client, world["coordinator_a"])
    asked = client.post(
        "/api/v1/exchange/requests",
        json={"association_id": world["a"], "shift_id": world["shift"], "asked": 1},
    )
    assert asked.status_code == 201
    request = asked.json()["request_id"]
    pool = client.get("/api/v1/pool", params={"certificate": ""})
    theirs = next(row for row in pool.json() if row["association_id"] == world["b"])
    assert theirs["volunteers"] == 1 and "Mariam Adel" not in pool.text  # counted, not named
    sign_in(client, world["coordinator_b"])
    offered = client.post(
        f"/api/v1/exchange/requests/{request}/offers", json={"volunteer_id": world["lent"]}
    )
    assert offered.json() == {"offered": True}
    sign_in(client, world["coordinator_a"])
    early = client.post(
        f"/api/v1/exchange/requests/{request}/acceptances", json={"volunteer_id": world["lent"]}
    )
    assert early.status_code == 409 and early.json()["error"]["code"] == "no_consent"
    sign_in(client, world["lent_phone"])
    services.runner.catch_up()
    mine = client.get("/my-service").text
    assert "جمعية أ" in mine and "أوافق على الخدمة" in mine
    consent = client.post(
        f"/my-service/offers/{request}",
        data={"consents": "1", "_csrf_token": form_token(mine)},
        follow_redirects=False,
    )
    assert consent.status_code == 303
    sign_in(client, world["coordinator_a"])
    accepted = client.post(
        f"/api/v1/exchange/requests/{request}/acceptances", json={"volunteer_id": world["lent"]}
    )
    assert accepted.json()["lender_id"] == world["b"]
    site, lent = UUID(world["site"]), UUID(world["lent"])
    services.dispatcher.run(CheckIn(site, lent, "in"), SYSTEM)
    later = datetime.now(UTC) + timedelta(hours=3)
    services.app.clock = lambda: later
    services.dispatcher.run(CheckOut(site, lent, "out"), SYSTEM)
    services.runner.catch_up()
    ledger = client.get(f"/api/v1/associations/{world['a']}/ledger").json()
    assert ledger["borrowed"] > 2.9 and ledger["with"][0]["association_id"] == world["b"]
    steps = client.get(f"/api/v1/exchange/requests/{request}").json()["steps"]
    assert [s["step"] for s in steps] == ["asked", "offered", "consented", "accepted"]
    sign_in(client, world["lent_phone"])
    service = client.get("/my-service").text
    assert f'data-hours="{world["a"]}">{number(3, "ar", fraction=1)}<' in service
    pdf = client.get("/my-service/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"


def test_the_pool_filters_by_certificate_and_free_time(
    client: TestClient, services: Services
) -> None:
    world = two_associations(services)
    trained = services.dispatcher.run(
        RegisterVolunteer("Nour Said", mobile(), national_id(), "01", PASSWORD)
    )
    session = services.dispatcher.run(
        ScheduleSession("first_aid", datetime.now(UTC), "Cairo", 5), SYSTEM
    )
    services.dispatcher.run(Enrol(session, trained), SYSTEM)
    services.dispatcher.run(RecordAttendance(session, trained), SYSTEM)
    services.dispatcher.run(SignUp(UUID(world["shift"]), UUID(world["lent"]), "busy"), SYSTEM)
    services.runner.catch_up()
    sign_in(client, world["coordinator_a"])
    medics = client.get("/api/v1/pool", params={"certificate": "first_aid"}).json()
    assert medics == [
        {
            "association_id": None,
            "governorate": "01",
            "volunteers": 1,
            "certificates": {"first_aid": 1},
        }
    ]
    now = datetime.now(UTC) + timedelta(hours=3)
    window = {"free_from": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    window["free_to"] = (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    free = {row["association_id"] for row in client.get("/api/v1/pool", params=window).json()}
    assert None in free and world["b"] not in free  # B's only volunteer is busy then
    everyone = {row["association_id"] for row in client.get("/api/v1/pool").json()}
    assert everyone == {None, world["b"]}
    page = client.get("/pool", params={"certificate": "first_aid"}).text
    assert "Nour Said" not in page and "الإسعافات الأولية: ١" in page and "بدون جمعية" in page


def test_coordinators_ask_offer_and_accept_on_their_pages(
    client: TestClient, services: Services
) -> None:
    world = two_associations(services)
    a, b = world["a"], world["b"]
    sign_in(client, world["coordinator_a"])
    page = client.get(f"/associations/{a}").text
    asked = client.post(
        f"/associations/{a}/requests",
        data={"shift_id": world["shift"], "asked": "1", "_csrf_token": form_token(page)},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    request = services.db.query("SELECT request_id FROM exchange_requests")[0]["request_id"]
    sign_in(client, world["coordinator_b"])
    theirs = client.get(f"/associations/{b}").text
    assert "Mariam Adel" in theirs and f"/requests/{request}/offer" in theirs
    client.post(
        f"/associations/{b}/requests/{request}/offer",
        data={"volunteer_id": world["lent"], "_csrf_token": form_token(theirs)},
    )
    services.dispatcher.run(
        AnswerOffer(UUID(request), True), Actor(volunteer_id=UUID(world["lent"]))
    )
    services.runner.catch_up()
    sign_in(client, world["coordinator_a"])
    ours = client.get(f"/associations/{a}").text
    assert f"/requests/{request}/accept" in ours and world["lent"] not in ours
    offer = form_token(ours, "offer")  # the offer's handle, not the volunteer's id
    client.post(
        f"/associations/{a}/requests/{request}/accept",
        data={"offer": offer, "_csrf_token": form_token(ours)},
    )
    shift = services.app.repository.get(UUID(world["shift"]))
    assert UUID(world["lent"]) in shift.volunteers
    full = client.post(
        f"/associations/{a}/requests/{request}/accept",
        data={"offer": offer, "_csrf_token": form_token(ours)},
    )
    assert "لم يوافق هذا المتطوع" in full.text
