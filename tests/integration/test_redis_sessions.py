"""With Redis configured, any web worker serves any volunteer: the session is sealed in its
cookie, and a sign-out on one worker reaches the others through Redis."""

from __future__ import annotations

from dataclasses import replace

import pytest
import redis
from litestar.testing import TestClient

from tests.conftest import started
from tests.e2e.clients import new_volunteer, sign_in
from tests.processes import wait_for
from web.app import create_app
from web.platform import sessions
from web.platform.settings import Settings

pytestmark = pytest.mark.redis


def test_a_session_made_by_one_worker_is_honoured_by_another_until_signed_out(
    sqlite_settings: Settings, redis_url: str
) -> None:
    settings = replace(sqlite_settings, redis_url=redis_url)
    for services in started(settings):
        first = TestClient(create_app(services, secure_cookies=False))
        second = TestClient(create_app(services, secure_cookies=False))
        with first, second:
            me = new_volunteer(first)
            sign_in(first, me["phone"])
            stranger = second.get("/my-shifts", follow_redirects=False)
            assert stranger.status_code == 401
            copied = first.cookies["katf_session"]
            second.cookies.set("katf_session", copied, domain="testserver.local")
            page = second.get("/my-shifts", follow_redirects=False)
            assert page.status_code == 200
            assert page.headers["cache-control"] == "no-store"

            assert first.delete("/api/v1/session").status_code == 200

            def refused(client: TestClient = second) -> bool:
                return client.get("/my-shifts", follow_redirects=False).status_code == 401

            wait_for(refused, 10)
            second.cookies.set("katf_session", copied, domain="testserver.local")
            assert second.get("/api/v1/session").json()["account_id"] is None, "ended everywhere"
        client = redis.Redis.from_url(redis_url)
        assert client.keys("katf:sessions:ended:*"), "the sign-out is recorded in Redis"
        assert client.keys("katf:limit:*"), "rate-limit counters are stored in Redis"


def test_a_session_is_renewed_hourly_not_sent_on_every_response(
    sqlite_settings: Settings, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = replace(sqlite_settings, redis_url=redis_url)
    for services in started(settings):
        with TestClient(create_app(services, secure_cookies=False)) as client:
            me = new_volunteer(client)
            sign_in(client, me["phone"])
            first = client.get("/api/v1/session").json()
            page = client.get("/my-shifts")
            assert page.status_code == 200
            assert "set-cookie" not in page.headers, "nothing to send again within the hour"

            monkeypatch.setattr(sessions, "RENEW_SECONDS", 0)  # as if an hour had gone by
            page = client.get("/my-shifts")
            assert page.status_code == 200
            assert "katf_session=" in page.headers["set-cookie"], "an hour after, it is renewed"
            assert "Max-Age=2592000" in page.headers["set-cookie"], "for thirty days more"
            again = client.get("/api/v1/session").json()
            assert again["account_id"] == first["account_id"], "and it is the same session"
            assert again["csrf_token"] == first["csrf_token"]


def test_a_request_that_keeps_nothing_writes_no_session(
    sqlite_settings: Settings, redis_url: str
) -> None:
    settings = replace(sqlite_settings, redis_url=redis_url)
    for services in started(settings):
        with TestClient(create_app(services, secure_cookies=False)) as client:
            answer = client.get("/api/v1/governorates")
            assert answer.status_code == 200
            assert "set-cookie" not in answer.headers
            form = client.get("/register")
            cookie = form.headers["set-cookie"]
            assert "katf_csrf=" in cookie and "katf_session" not in cookie, "a form's token rides"


def test_a_forged_or_tampered_cookie_is_no_session(
    sqlite_settings: Settings, redis_url: str
) -> None:
    settings = replace(sqlite_settings, redis_url=redis_url)
    for services in started(settings):
        app = create_app(services, secure_cookies=False)
        other = create_app(replace(services, settings=replace(settings, secret_key="another")))
        with TestClient(app) as client, TestClient(other) as elsewhere:
            me = new_volunteer(client)
            sign_in(client, me["phone"])
            sealed = client.cookies["katf_session"]
            tampered = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
            for cookie in (tampered, "made-up"):
                client.cookies.set("katf_session", cookie, domain="testserver.local")
                assert client.get("/api/v1/session").json()["account_id"] is None
            elsewhere.cookies.set("katf_session", sealed, domain="testserver.local")
            assert elsewhere.get("/api/v1/session").json()["account_id"] is None, "other key"
