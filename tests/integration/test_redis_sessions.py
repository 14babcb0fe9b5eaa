"""With Redis configured, sessions live there: any web worker serves any volunteer."""

from __future__ import annotations

from dataclasses import replace

import pytest
import redis
from litestar.testing import TestClient

from tests.conftest import started
from tests.e2e.clients import new_volunteer, sign_in
from web.app import create_app
from web.settings import Settings

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


def test_an_unchanged_session_is_renewed_by_reading_not_rewritten(
    sqlite_settings: Settings, redis_url: str
) -> None:
    settings = replace(sqlite_settings, redis_url=redis_url)
    store = redis.Redis.from_url(redis_url)
    for services in started(settings):
        with TestClient(create_app(services, secure_cookies=False)) as client:
            me = new_volunteer(client)
            sign_in(client, me["phone"])
            client.get("/my-shifts")
            (key,) = store.keys(f"*{client.cookies['katf_session']}")
            stored = store.get(key)
            store.expire(key, 60)
            page = client.get("/my-shifts")
            assert page.status_code == 200
            assert store.ttl(key) > 3600, "reading the session renewed it"
            assert "katf_session=" in page.headers["set-cookie"], "the cookie is renewed too"
            store.set(key, stored + b" ", keepttl=True)  # what a rewrite would overwrite
            client.get("/my-shifts")
            assert store.get(key) == stored + b" ", "an unchanged session is not written again"
