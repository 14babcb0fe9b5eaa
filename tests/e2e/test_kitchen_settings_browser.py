"""A kitchen's settings in a real browser: the lead opens them, changes the target by plain
form and reads the answer; the page fits at 360 and 1366 px in Arabic and English."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.conftest import started
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_desk_browser import signed_in_to
from tests.e2e.test_live_kitchens import BROWSER_FLAGS, kitchen_world
from tests.processes import server
from web.platform.settings import Settings

SHOTS = Path("/tmp/shots/kitchens-training")


def test_the_lead_changes_the_target_and_the_page_fits(
    sqlite_settings: Settings, chromium: str
) -> None:
    for services in started(sqlite_settings):
        world = kitchen_world(services)
        services.runner.catch_up()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        url = f"{base}/kitchens/{world['kitchen']}"
        for locale, width in (("ar-EG", 360), ("en-GB", 1366), ("ar-EG", 1366), ("en-GB", 360)):
            page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
            signed_in_to(page, base, world["lead"], url)
            page.click(".kitchen-settings summary")
            assert_fits(page)
            name = f"kitchen-{locale[:2]}-{width}"
            shutil.copy(screenshot(page, "kitchens-training", name), SHOTS / f"{name}.png")
            page.close()
        page = browser.new_page(viewport={"width": 360, "height": 800}, locale="ar-EG")
        signed_in_to(page, base, world["lead"], url)
        page.click(".kitchen-settings summary")
        page.fill("#daily-target", "1500")
        page.click(".kitchen-settings button[type=submit]")
        page.wait_for_selector("p.notice.success")
        assert page.input_value("#daily-target") == "١٥٠٠", "in the Arabic page's digits"
        browser.close()
