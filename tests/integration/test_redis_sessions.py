"""With Redis configured, sessions live there: any web worker serves any volunteer."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import redis
from litestar.testing import TestClient

from tests.conftest import started
from tests.e2e.clients import new_volunteer, sign_in
from web.app import create_app
from web.platform.sessions import RENEW_SECONDS, RENEWED
from web.platform.settings import Settings

pytestmark = pytest.mark.redis


def test_a_session_made_by_one_worker_is_honoured_by_another(
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
            second.cookies.set(
                "katf_session", first.cookies["katf_session"], domain="testserver.local"
            )
            page = second.get("/my-shifts", follow_redirects=False)
            assert page.status_code == 200
            assert page.headers["cache-control"] == "no-store"
        client = redis.Redis.from_url(redis_url)
        assert client.keys("*katf:sessions*"), "sessions are stored in Redis"
        assert client.keys("katf:limit:*"), "rate-limit counters are stored in Redis"


def test_a_session_is_renewed_hourly_not_rewritten_on_every_request(
    sqlite_settings: Settings, redis_url: str
) -> None:
    settings = replace(sqlite_settings, redis_url=redis_url)
    store = redis.Redis.from_url(redis_url)
    for services in started(settings):
        with TestClient(create_app(services, secure_cookies=False)) as client:
            me = new_volunteer(client)
            sign_in(client, me["phone"])
            (key,) = store.keys(f"*{client.cookies['katf_session']}")
            assert store.ttl(key) > 29 * 24 * 3600, "a new session lasts thirty days"
            stored = store.get(key)
            store.expire(key, 600)
            page = client.get("/my-shifts")
            assert page.status_code == 200
            assert "set-cookie" not in page.headers, "nothing to send again within the hour"
            assert store.get(key) == stored and store.ttl(key) <= 600, "nor to write again"

            session = json.loads(stored)
            session[RENEWED] -= RENEW_SECONDS + 1
            store.set(key, json.dumps(session), keepttl=True)
            page = client.get("/my-shifts")
            assert page.status_code == 200
            assert store.ttl(key) > 29 * 24 * 3600, "an hour after, a request renews it"
            assert "katf_session=" in page.headers["set-cookie"], "the cookie too"
            assert client.get("/my-shifts").status_code == 200, "and it is the same session"


def test_a_request_that_keeps_nothing_writes_no_session(
    sqlite_settings: Settings, redis_url: str
) -> None:
    settings = replace(sqlite_settings, redis_url=redis_url)
    store = redis.Redis.from_url(redis_url)
    for services in started(settings):
        with TestClient(create_app(services, secure_cookies=False)) as client:
            before = set(store.scan_iter("*katf:sessions*"))
            answer = client.get("/api/v1/governorates")
            assert answer.status_code == 200
            assert "set-cookie" not in answer.headers
            assert set(store.scan_iter("*katf:sessions*")) == before
            form = client.get("/register")
            cookie = form.headers["set-cookie"]
            assert "katf_csrf=" in cookie and "katf_session" not in cookie, "a form's token rides"
            assert set(store.scan_iter("*katf:sessions*")) == before, "in a cookie, kept nowhere"
