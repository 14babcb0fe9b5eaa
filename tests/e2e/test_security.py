"""Sessions, CSRF, brute force, device tokens, headers, and personal data kept out of sight."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from litestar.testing import TestClient

from coordination.account import BadCredentials
from coordination.areas.accounts import lookups as accounts
from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.permissions import SYSTEM
from tests.conftest import started
from tests.e2e.clients import prime, sign_in
from tests.e2e.test_permissions import TABLE
from tests.e2e.world import PRINCIPALS, World, build_world
from tests.helpers import PASSWORD, mobile, national_id, tomorrow
from web.app import create_app
from web.platform.limits import limited_sign_in
from web.platform.ratelimit import SIGN_IN_PAIR, TooManyAttempts
from web.platform.settings import Settings


@pytest.fixture
def world(sqlite_settings: Settings) -> Iterator[World]:
    for services in started(sqlite_settings):
        yield build_world(services, create_app(services, secure_cookies=False))


def session_of(client: TestClient) -> dict[str, Any]:
    return client.get("/api/v1/session").json()


def test_a_planted_session_id_is_never_honoured(world: World) -> None:
    with TestClient(world.app) as attacker, TestClient(world.app) as victim:
        prime(attacker)
        planted = attacker.cookies["katf_session"]
        victim.cookies.set("katf_session", planted, domain="testserver.local")
        sign_in(victim, world.phones["volunteer_a"])
        assert victim.cookies["katf_session"] != planted
        assert session_of(victim)["volunteer_id"] == world.ids["volunteer_a"]
        assert session_of(attacker)["account_id"] is None
        victim.cookies.set("katf_session", "made-up-by-an-attacker", domain="testserver.local")
        victim.get("/shifts")
        assert session_of(victim)["account_id"] is None  # a session kept takes an id of ours
        assert victim.cookies["katf_session"] != "made-up-by-an-attacker"


def test_signing_out_kills_the_session_on_the_server(world: World) -> None:
    with world.client("volunteer_a") as client, TestClient(world.app) as thief:
        stolen = client.cookies["katf_session"]
        assert client.delete("/api/v1/session").status_code == 200
        thief.cookies.set("katf_session", stolen, domain="testserver.local")
        assert thief.get("/my-shifts").status_code == 401
        assert session_of(thief)["account_id"] is None


UNSAFE = [(m, t, p) for m, t, p, _ in TABLE if m not in ("GET", "HEAD")]


@pytest.mark.parametrize("principal", ["anonymous", "volunteer_a", "admin"])
def test_every_unsafe_route_needs_the_csrf_token(world: World, principal: str) -> None:
    before = world.services.app.recorder.max_notification_id()
    with world.client(principal) as client:
        for method, template, payload in UNSAFE:
            for token in (None, "wrong-token"):
                headers = {"X-CSRF-Token": token} if token else {}
                client.headers.pop("X-CSRF-Token", None)
                extra = payload(world) if payload else {}
                extra["headers"] = {**extra.get("headers", {}), **headers}
                response = client.request(
                    method, world.path(template), follow_redirects=False, **extra
                )
                assert response.status_code == 403, (method, template, token)
    assert world.services.app.recorder.max_notification_id() == before


def test_crawling_every_page_records_no_event(world: World) -> None:
    before = world.services.app.recorder.max_notification_id()
    gets = [t for m, t, _, _ in TABLE if m == "GET"]
    for principal in PRINCIPALS:
        with world.client(principal) as client:
            for template in gets:
                assert client.get(world.path(template)).status_code < 500
    assert world.services.app.recorder.max_notification_id() == before


def test_brute_force_is_stopped_per_account_and_address(world: World) -> None:
    phone = world.phones["volunteer_b"]
    with TestClient(world.app) as client:
        prime(client)
        for _ in range(SIGN_IN_PAIR.limit):
            wrong = client.post("/api/v1/session", json={"phone": phone, "password": "guess-1234"})
            assert wrong.status_code == 409
        blocked = client.post("/api/v1/session", json={"phone": phone, "password": PASSWORD})
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
        assert blocked.json()["error"]["code"] == "too_many_attempts"

    def request_from(address: str) -> Any:
        return SimpleNamespace(
            client=SimpleNamespace(host=address),
            app=SimpleNamespace(state=SimpleNamespace(services=world.services)),
        )

    elsewhere = limited_sign_in(request_from("198.51.100.7"), phone, PASSWORD)
    assert str(elsewhere) == world.ids["account_b"]
    with pytest.raises(TooManyAttempts):
        limited_sign_in(request_from("testclient"), phone, PASSWORD)
    with pytest.raises(BadCredentials):
        limited_sign_in(request_from("198.51.100.8"), phone, "still-a-wrong-one")


def test_passwords_are_stored_as_argon2id(world: World) -> None:
    app = world.services.app
    account = accounts.account(app, accounts.account_id_for(app, world.phones["volunteer_a"]))
    assert account.password_hash.startswith("$argon2id$")


def test_security_headers_on_pages_and_api(world: World) -> None:
    with TestClient(world.app) as client:
        for path in ("/shifts", "/api/v1/shifts"):
            headers = client.get(path).headers
            assert "frame-ancestors 'none'" in headers["content-security-policy"]
            assert "script-src 'self'" in headers["content-security-policy"]
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["referrer-policy"] == "same-origin"
        assert client.get("/api/v1/shifts").headers["cache-control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(world: World) -> None:
    with TestClient(world.app) as client:
        cookie = client.get("/api/v1/session").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_device_tokens_act_for_their_site_only_until_revoked(world: World) -> None:
    walk_in = world.services.dispatcher.run(
        RegisterVolunteer("Walk In", mobile(), national_id(), "01", PASSWORD)
    )
    aswan = world.services.dispatcher.run(
        OpenSite("aswan-point", "distribution_point", "28", "أسوان", "Aswan"), SYSTEM
    )
    start = tomorrow(6)
    aswan_shift = world.services.dispatcher.run(
        ScheduleShift(aswan, "distributor", start, start + timedelta(hours=1), 5), SYSTEM
    )
    with world.client("site_manager") as manager:
        issued = manager.post(f"/api/v1/sites/{world.ids['site']}/devices", json={"label": "gate"})
        assert issued.status_code == 201
        world.services.runner.catch_up()
        listed = manager.get(f"/api/v1/sites/{world.ids['site']}/devices").text
        assert "gate" in listed and issued.json()["token"] not in listed
    with TestClient(world.app) as desk:
        desk.headers["Authorization"] = f"Bearer {issued.json()['token']}"
        ours = desk.post(
            f"/api/v1/shifts/{world.ids['shift']}/sign-ups", json={"volunteer_id": str(walk_in)}
        )
        # no CSRF token needed with a bearer token; still, a desk never enlists anyone
        assert ours.status_code == 403, ours.text
        theirs = desk.post(
            f"/api/v1/shifts/{aswan_shift}/sign-ups", json={"volunteer_id": str(walk_in)}
        )
        assert theirs.status_code == 403
        with world.client("site_manager") as manager:
            assert manager.delete(f"/api/v1/devices/{issued.json()['id']}").status_code == 200
        assert desk.get("/api/v1/session").status_code == 401


def test_no_national_id_name_or_phone_in_the_database_or_pages(
    world: World, tmp_path: Path
) -> None:
    """A copy of the database alone reveals none of it; pages never show the national ID."""
    nid, phone = world.national_ids["volunteer_a"], world.phones["volunteer_a"]
    world.services.runner.catch_up()
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("katf.db*"))
    for secret in (nid, phone[1:], "Volunteer A"):
        assert secret.encode() not in raw
    with world.client("volunteer_a") as client:
        pages = "".join(client.get(world.path(t)).text for m, t, _, _ in TABLE if m == "GET")
        profile = client.get("/profile").text
    assert nid not in pages
    assert "Volunteer A" in profile and nid[-4:] in profile
