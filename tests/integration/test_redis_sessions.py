"""With Redis configured, sessions live there: any web worker serves any volunteer."""

from __future__ import annotations

from dataclasses import replace

import pytest
import redis
from litestar.testing import TestClient

from tests.conftest import started
from tests.helpers import mobile, national_id
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
            form = {
                "full_name": "Laila Mostafa",
                "phone": mobile(),
                "national_id": national_id(),
                "governorate": "01",
            }
            assert first.post("/register", data=form, follow_redirects=False).status_code == 303
            cookie = first.cookies["katf_session"]
            stranger = second.get("/my-shifts", follow_redirects=False)
            assert stranger.headers["location"] == "/register"
            second.cookies.set("katf_session", cookie)
            page = second.get("/my-shifts", follow_redirects=False)
            assert page.status_code == 200
            assert page.headers["cache-control"] == "no-store"
        keys = redis.Redis.from_url(redis_url).keys("*katf:sessions*")
        assert keys, "the session is stored in Redis"
