"""Associations over HTTP: a loan from request to ledger, the volunteer's consent in the app,
the shared pool without contact details, and the certificate of service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from litestar.testing import TestClient

from coordination.permissions import SYSTEM, Actor, Grant, Role
from tests.e2e.clients import sign_in
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services


def two_associations(services: Services) -> dict[str, str]:
    core = services.app
    a = core.found_association(SYSTEM, "a", "جمعية أ", "Association A", "01")
    b = core.found_association(SYSTEM, "b", "جمعية ب", "Association B", "01")
    site = core.open_site(SYSTEM, "stadium", "packing", "01", "الاستاد", "Stadium")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    shift = core.schedule_shift(SYSTEM, site, "packer", start, start + timedelta(hours=4), 5)
    phones = {name: mobile() for name in ("coordinator_a", "coordinator_b", "lent_phone")}
    for name, association in (("coordinator_a", a), ("coordinator_b", b)):
        grant = Grant(Role.ASSOCIATION_COORDINATOR, str(association))
        core.create_user(SYSTEM, phones[name], name, PASSWORD, [grant])
    lent = core.register_volunteer(
        "Mariam Adel", phones["lent_phone"], national_id(), "01", PASSWORD, b
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
    pool = client.get("/api/v1/pool", params={"certificate": ""}).json()
    mariam = next(row for row in pool if row["volunteer_id"] == world["lent"])
    assert mariam["full_name"] == "Mariam Adel" and "phone" not in mariam
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
    services.app.check_in(SYSTEM, site, lent, "in")
    later = datetime.now(UTC) + timedelta(hours=3)
    services.app.clock = lambda: later
    services.app.check_out(SYSTEM, site, lent, "out")
    services.runner.catch_up()
    ledger = client.get(f"/api/v1/associations/{world['a']}/ledger").json()
    assert ledger["borrowed"] > 2.9 and ledger["with"][0]["association_id"] == world["b"]
    steps = client.get(f"/api/v1/exchange/requests/{request}").json()["steps"]
    assert [s["step"] for s in steps] == ["asked", "offered", "consented", "accepted"]
    sign_in(client, world["lent_phone"])
    service = client.get("/my-service").text
    assert f'data-hours="{world["a"]}">3.0<' in service
    pdf = client.get("/my-service/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"


def test_the_pool_filters_by_certificate_and_free_time(
    client: TestClient, services: Services
) -> None:
    world = two_associations(services)
    core = services.app
    trained = core.register_volunteer("Nour Said", mobile(), national_id(), "01", PASSWORD)
    session = core.schedule_session(SYSTEM, "first_aid", datetime.now(UTC), "Cairo", 5)
    core.enrol(SYSTEM, session, trained)
    core.record_attendance(SYSTEM, session, trained)
    core.sign_up(SYSTEM, UUID(world["shift"]), UUID(world["lent"]), "busy")
    services.runner.catch_up()
    sign_in(client, world["coordinator_a"])
    medics = client.get("/api/v1/pool", params={"certificate": "first_aid"}).json()
    assert [row["volunteer_id"] for row in medics] == [str(trained)]
    assert medics[0]["certificates"] == ["first_aid"]
    now = datetime.now(UTC) + timedelta(hours=3)
    window = {"free_from": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    window["free_to"] = (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    free = {row["volunteer_id"] for row in client.get("/api/v1/pool", params=window).json()}
    assert str(trained) in free and world["lent"] not in free
    page = client.get("/pool", params={"certificate": "first_aid"}).text
    assert "Nour Said" in page and "الإسعافات الأولية" in page


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
    services.app.answer_offer(Actor(volunteer_id=UUID(world["lent"])), UUID(request), True)
    services.runner.catch_up()
    sign_in(client, world["coordinator_a"])
    ours = client.get(f"/associations/{a}").text
    assert f"/requests/{request}/accept" in ours
    client.post(
        f"/associations/{a}/requests/{request}/accept",
        data={"volunteer_id": world["lent"], "_csrf_token": form_token(ours)},
    )
    shift = services.app.repository.get(UUID(world["shift"]))
    assert UUID(world["lent"]) in shift.volunteers
    full = client.post(
        f"/associations/{a}/requests/{request}/accept",
        data={"volunteer_id": world["lent"], "_csrf_token": form_token(ours)},
    )
    assert "لم يوافق هذا المتطوع" in full.text
