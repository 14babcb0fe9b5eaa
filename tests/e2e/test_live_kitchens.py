"""Live kitchen dashboards through real server processes: SSE notices and a real browser."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any
from uuid import UUID

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.kitchens.commands import ConfigureKitchen
from coordination.areas.sites.commands import OpenSite
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.helpers import PASSWORD, mobile
from tests.processes import PrivateRedis, katf, server, signed_in_client, stop
from web.bootstrap import Services
from web.platform.i18n import number
from web.platform.settings import Settings

BROWSER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def in_arabic(value: int) -> str:
    """A total as an Arabic page writes it (Arabic-Indic digits by default)."""
    return number(value, "ar")


def kitchen_world(services: Services) -> dict[str, str]:
    kitchen = services.dispatcher.run(
        OpenSite("giza-central", "kitchen", "21", "مطبخ الجيزة المركزي", "Giza central kitchen"),
        SYSTEM,
    )
    services.dispatcher.run(ConfigureKitchen(kitchen, daily_meal_target=1000), SYSTEM)
    people = {
        "lead": Grant(Role.KITCHEN_LEAD, str(kitchen)),
        "coordinator": Grant(Role.GOVERNORATE_COORDINATOR, "21"),
    }
    phones = {name: mobile() for name in people}
    for name, grant in people.items():
        services.dispatcher.run(CreateUser(phones[name], name.title(), PASSWORD, [grant]), SYSTEM)
    return {"kitchen": str(kitchen), **phones}


async def notice_after_a_batch(base: str, world: dict[str, str]) -> list[str]:
    watcher, lead = (
        await signed_in_client(base, world["coordinator"], PASSWORD),
        await signed_in_client(base, world["lead"], PASSWORD),
    )
    events: list[str] = []
    try:
        async with watcher.stream("GET", "/live/", params={"key": "governorate:21"}) as stream:
            lines = stream.aiter_lines()
            while "event: ready" not in events:
                events.append(await asyncio.wait_for(anext(lines), 5))
            logged = await lead.post(
                f"/api/v1/kitchens/{world['kitchen']}/batches",
                json={"dish": "عدس", "count": 75},
                headers={"Idempotency-Key": "sse-1"},
            )
            assert logged.status_code == 201
            while "event: changed" not in events:
                events.append(await asyncio.wait_for(anext(lines), 5))
    finally:
        await watcher.aclose()
        await lead.aclose()
    return events


def test_a_logged_batch_is_announced_over_sse(sqlite_settings: Settings) -> None:
    for services in started(sqlite_settings):
        world = kitchen_world(services)
    with server(sqlite_settings) as base:
        events = asyncio.run(notice_after_a_batch(base, world))
    assert "event: changed" in events


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.parametrize("width", [360, 1920])
def test_the_governorate_dashboard_updates_live_in_a_browser(
    production: tuple[Settings, Services], width: int, chromium: str
) -> None:
    settings, services = production
    world = kitchen_world(services)
    worker = katf(settings, "project")
    try:
        with server(settings) as base, sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=chromium,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="ar-EG")
            page.goto(f"{base}/sign-in")
            page.fill("#phone", world["coordinator"])
            page.fill("#password", PASSWORD)
            page.click("form.form button[type=submit]")
            page.wait_for_url(lambda url: "/sign-in" not in url)  # staff land on their own home
            navigations: list[str] = []
            page.on("framenavigated", lambda frame: navigations.append(frame.url))
            page.goto(f"{base}/kitchens/governorates/21")
            assert page.get_attribute("html", "dir") == "rtl"
            page.wait_for_selector("[data-live-region][data-live=on]", timeout=10_000)
            assert page.inner_text("[data-total=cooked]") == in_arabic(0)
            lead = httpx.Client(base_url=base)
            token = lead.get("/api/v1/session").json()["csrf_token"]
            token = lead.post(
                "/api/v1/session",
                json={"phone": world["lead"], "password": PASSWORD},
                headers={"X-CSRF-Token": token},
            ).json()["csrf_token"]
            logged = lead.post(
                f"/api/v1/kitchens/{world['kitchen']}/batches",
                json={"dish": "أرز باللبن", "count": 240},
                headers={"Idempotency-Key": "browser-1", "X-CSRF-Token": token},
            )
            assert logged.status_code == 201
            expect(page.locator("[data-total=cooked]")).to_have_text(in_arabic(240), timeout=5_000)
            assert navigations == [f"{base}/kitchens/governorates/21"]
            browser.close()
    finally:
        stop(worker)
    assert UUID(world["kitchen"])


@pytest.mark.redis
def test_the_dashboard_polls_while_redis_is_away_and_goes_live_again(
    sqlite_settings: Settings, private_redis: PrivateRedis, chromium: str
) -> None:
    settings = replace(sqlite_settings, redis_url=private_redis.url)
    for services in started(settings):
        world = kitchen_world(services)
    with server(settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 360, "height": 800}, locale="ar-EG")
        sign_in_in_browser(page, base, world["coordinator"])
        page.goto(f"{base}/kitchens/governorates/21")
        page.wait_for_selector("[data-live-region][data-live=on]", timeout=10_000)
        lead = signed_in_sync(base, world["lead"])
        private_redis.stop()
        page.wait_for_selector("[data-live-region][data-live=off]", timeout=10_000)
        assert "التحديث المباشر متوقف" in page.inner_text("[data-live-status]")
        log_batch(lead, world["kitchen"], 90, "while-away")
        expect(page.locator("[data-total=cooked]")).to_have_text(in_arabic(90), timeout=10_000)
        private_redis.start()
        page.wait_for_selector("[data-live-region][data-live=on]", timeout=30_000)
        log_batch(lead, world["kitchen"], 10, "back-again")
        expect(page.locator("[data-total=cooked]")).to_have_text(in_arabic(100), timeout=5_000)
        lead.close()
        browser.close()


def signed_in_sync(base: str, phone: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=10)
    token = client.get("/api/v1/session").json()["csrf_token"]
    answer = client.post(
        "/api/v1/session",
        json={"phone": phone, "password": PASSWORD},
        headers={"X-CSRF-Token": token},
    )
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


def log_batch(lead: httpx.Client, kitchen: str, count: int, key: str) -> None:
    answer = lead.post(
        f"/api/v1/kitchens/{kitchen}/batches",
        json={"dish": "شوربة", "count": count},
        headers={"Idempotency-Key": key},
    )
    assert answer.status_code == 201, answer.text


def sign_in_in_browser(page: Any, base: str, phone: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#phone", phone)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(lambda url: "/sign-in" not in url)  # staff land on their own home
