"""A site manager issues a desk code and sees its enrolment card in a real browser, in
Arabic and English, on a phone and at a desk: the card's QR code and code fit the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.sites.commands import OpenSite
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.browser import signed_in
from tests.e2e.layout import assert_fits
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.e2e.test_shifts_browser import shot
from tests.helpers import PASSWORD, mobile
from tests.processes import server
from web.platform.settings import Settings


@pytest.mark.parametrize(
    ("locale", "width"), [("ar-EG", 360), ("ar-EG", 1366), ("en-GB", 360), ("en-GB", 1366)]
)
def test_a_manager_issues_a_desk_code_and_sees_its_card(
    sqlite_settings: Settings, chromium: str, locale: str, width: int
) -> None:
    manager = mobile()
    for services in started(sqlite_settings):
        run = services.dispatcher.run
        site = run(OpenSite("tanta-club", "packing", "16", "نادي طنطا", "Tanta club"), SYSTEM)
        run(CreateUser(manager, "Karim Nabil", PASSWORD, [Grant(Role.SITE_MANAGER, str(site))]))
    variant = f"{locale[:2]}-{width}"
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
        signed_in(page, base, locale, manager)
        page.goto(f"{base}/packing/{site}/devices")
        page.fill("#desk-label", "Gate 3")
        page.locator("[data-issue] button").click()
        expect(page.locator("[data-card] svg")).to_be_visible()
        assert_fits(page)
        shot(page, "desk-card", variant)
        page.goto(f"{base}/packing/{site}/devices")
        expect(page.locator("[data-device=active]")).to_have_count(1)
        assert_fits(page)
        shot(page, "desks", variant)
        browser.close()
