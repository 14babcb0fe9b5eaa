"""Live boards in a real browser (the stadium, the national overview), through a real server,
projector and Redis."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any
from uuid import UUID

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.distribution.commands import OpenRound, RegisterHousehold
from coordination.areas.packing.commands import ConfirmTruckload, DispatchTruck, LogBoxes
from coordination.areas.sites.commands import IssueDeviceToken
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.clients import sign_in
from tests.e2e.stadium import stadium
from tests.e2e.test_live_kitchens import BROWSER_FLAGS, sign_in_in_browser
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import PrivateRedis, katf, server, stop
from web.bootstrap import Services
from web.platform.i18n import number
from web.platform.settings import Settings


def in_arabic(value: int) -> str:
    """A total as an Arabic page writes it (Arabic-Indic digits by default)."""
    return number(value, "ar")


@contextmanager
def desk_client(base: str, world: dict[str, Any]) -> Iterator[httpx.Client]:
    """The site's manager logging batches from the floor (a desk device does desk work only)."""
    with httpx.Client(base_url=base, timeout=10) as client:
        sign_in(client, world["manager"])  # type: ignore[arg-type]
        yield client


def log_boxes(desk: httpx.Client, world: dict[str, Any], count: int, key: str) -> None:
    answer = desk.post(
        f"/api/v1/sites/{world['site']}/boxes",
        json={"line_id": world["lines"][0], "count": count},
        headers={"Idempotency-Key": key},
    )
    assert answer.status_code == 201, answer.text


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.parametrize("width", [360, 1920])
def test_the_stadium_board_shows_a_logged_batch_within_a_second(
    production: tuple[Settings, Services], width: int, chromium: str
) -> None:
    settings, services = production
    world = stadium(services)
    services.runner.catch_up()
    worker = katf(settings, "project")
    try:
        with server(settings) as base, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="ar-EG")
            sign_in_in_browser(page, base, world["manager"])
            navigations: list[str] = []
            page.on("framenavigated", lambda frame: navigations.append(frame.url))
            page.goto(f"{base}/packing/{world['site']}")
            assert page.get_attribute("html", "dir") == "rtl"
            assert "الكراتين المعبأة" in page.inner_text("main")
            page.wait_for_selector("[data-live-region][data-live=on]", timeout=10_000)
            assert page.inner_text("[data-total=packed]") == in_arabic(0)
            with desk_client(base, world) as desk:
                log_boxes(desk, world, 48, "browser-1")
                expect(page.locator("[data-total=packed]")).to_have_text(
                    in_arabic(48), timeout=1_000
                )
                log_boxes(desk, world, 24, "browser-2")
                expect(page.locator("[data-total=packed]")).to_have_text(
                    in_arabic(72), timeout=1_000
                )
            assert navigations == [f"{base}/packing/{world['site']}"]
            browser.close()
    finally:
        stop(worker)


@pytest.mark.redis
def test_the_board_polls_while_redis_is_away_and_goes_live_again(
    sqlite_settings: Settings, private_redis: PrivateRedis, chromium: str
) -> None:
    settings = replace(sqlite_settings, redis_url=private_redis.url)
    for services in started(settings):
        world = stadium(services)
    with server(settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="ar-EG")
        sign_in_in_browser(page, base, world["manager"])
        page.goto(f"{base}/packing/{world['site']}/tv")
        page.wait_for_selector("[data-live-region][data-live=on]", timeout=10_000)
        with desk_client(base, world) as desk:
            log_boxes(desk, world, 30, "before")
            expect(page.locator("[data-total=packed]")).to_have_text(in_arabic(30), timeout=5_000)
            private_redis.stop()
            page.wait_for_selector("[data-live-region][data-live=off]", timeout=10_000)
            assert "التحديث المباشر متوقف" in page.inner_text("[data-live-status]")
            log_boxes(desk, world, 40, "while-away")
            expect(page.locator("[data-total=packed]")).to_have_text(in_arabic(70), timeout=10_000)
            private_redis.start()
            page.wait_for_selector("[data-live-region][data-live=on]", timeout=30_000)
            log_boxes(desk, world, 5, "back-again")
            expect(page.locator("[data-total=packed]")).to_have_text(in_arabic(75), timeout=5_000)
        browser.close()


@pytest.mark.postgres
@pytest.mark.redis
def test_the_national_overview_updates_live_in_a_browser(
    production: tuple[Settings, Services], chromium: str
) -> None:
    settings, services = production
    world = stadium(services)
    site = UUID(world["site"])
    services.dispatcher.run(LogBoxes(site, UUID(world["lines"][0]), 50, "packed"), SYSTEM)
    truck = services.dispatcher.run(
        DispatchTruck(site, UUID(world["point"]), 50, "to-giza"), SYSTEM
    ).truckload_id
    services.dispatcher.run(ConfirmTruckload(truck, 50), SYSTEM)
    services.dispatcher.run(
        OpenRound("ramadan-1447", "رمضان ١٤٤٧", "Ramadan 1447", 4_000_000), SYSTEM
    )
    family = national_id()
    services.dispatcher.run(RegisterHousehold(family, 5, "", UUID(world["point"])), SYSTEM)
    admin = mobile()
    services.dispatcher.run(
        CreateUser(admin, "Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM
    )
    _, point_desk = services.dispatcher.run(
        IssueDeviceToken(UUID(world["point"]), "Point desk"), SYSTEM
    )
    services.runner.catch_up()
    worker = katf(settings, "project")
    try:
        with server(settings) as base, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="ar-EG")
            sign_in_in_browser(page, base, admin)
            page.goto(f"{base}/governorates")
            assert "النظرة القومية" in page.inner_text("h1")
            page.wait_for_selector("[data-live-region][data-live=on]", timeout=10_000)
            tile = page.locator("[data-governorate='21'] [data-tile-boxes]")
            assert tile.inner_text() == in_arabic(0)
            with httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {point_desk}"}
            ) as desk:
                given = desk.post(
                    f"/api/v1/points/{world['point']}/hand-offs",
                    json={"national_id": family},
                    headers={"Idempotency-Key": "live-1"},
                )
                assert given.status_code == 201, given.text
            expect(tile).to_have_text(in_arabic(1), timeout=5_000)
            expect(page.locator("[data-total=boxes]")).to_have_text(in_arabic(1))
            browser.close()
    finally:
        stop(worker)
