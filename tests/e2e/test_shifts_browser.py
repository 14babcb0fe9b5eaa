"""A site manager plans a day's shifts as a grid and changes one in a real browser, in
Arabic and English, on a phone and at a desk: the grid, the shift's volunteers and its
forms fit the screen, and a refusal is read where the form was."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.shifts.commands import PlannedShift, PlanShifts
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.permissions import SYSTEM, Actor, Grant, Role
from tests.conftest import started
from tests.e2e.browser import signed_in
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server
from web.platform.settings import Settings

SHOTS = Path(os.environ.get("KATF_SHOTS", "/tmp/shots/shifts"))


def shot(page: Any, name: str, variant: str) -> None:
    screenshot(page, "shifts", f"{name}-{variant}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{variant}.png"), full_page=True)


def a_site_with_a_morning(settings: Settings) -> tuple[str, str, str]:
    """A packing site, its manager, and tomorrow's morning packers with two volunteers."""
    manager = mobile()
    day = (datetime.now(CAMPAIGN_TIMEZONE) + timedelta(days=1)).date()
    starts = datetime(day.year, day.month, day.day, 8, tzinfo=CAMPAIGN_TIMEZONE)
    for services in started(settings):
        run = services.dispatcher.run
        site = run(OpenSite("tanta-club", "packing", "16", "نادي طنطا", "Tanta club"), SYSTEM)
        run(CreateUser(manager, "Karim Nabil", PASSWORD, [Grant(Role.SITE_MANAGER, str(site))]))
        morning = PlannedShift("packer", starts, starts + timedelta(hours=4), 30)
        (shift,) = run(PlanShifts(site, (morning,)), SYSTEM).scheduled
        for name in ("منى عادل", "عمر فتحي"):
            person = run(RegisterVolunteer(name, mobile(), national_id(), "16", PASSWORD))
            run(SignUp(shift, person), Actor(volunteer_id=person))
    return str(site), manager, day.isoformat()


@pytest.mark.parametrize(
    ("locale", "width"), [("ar-EG", 360), ("ar-EG", 1366), ("en-GB", 360), ("en-GB", 1366)]
)
def test_a_manager_plans_the_grid_and_changes_a_shift_in_the_browser(
    sqlite_settings: Settings, chromium: str, locale: str, width: int
) -> None:
    site, manager, day = a_site_with_a_morning(sqlite_settings)
    variant = f"{locale[:2]}-{width}"
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
        signed_in(page, base, locale, manager)
        page.goto(f"{base}/sites/{site}/shifts?day={day}")
        expect(page.locator("[data-shift]")).to_have_count(1)
        page.fill("[name=places_loader_0]", "6")
        page.fill("[name=places_packer_1]", "25")
        page.fill("[name=places_medic_2]", "2")
        assert_fits(page)
        shot(page, "grid-filled", variant)
        page.locator("[data-plan] button[type=submit]").click()
        expect(page.locator("[data-shift]")).to_have_count(4)
        expect(page.locator("#shifts-panel .notice.success")).to_be_visible()
        assert_fits(page)
        shot(page, "day-planned", variant)

        page.locator("[data-shift]:has(meter[value='2']) a.button").click()
        expect(page.locator("[data-volunteer]")).to_have_count(2)
        page.fill("#change-places", "1")
        page.evaluate("document.querySelector('#change-places').removeAttribute('min')")
        page.locator("[data-change] button[type=submit]").click()
        expect(page.locator("#shift-panel .notice.error")).to_be_visible()
        page.evaluate(
            "document.querySelectorAll('[data-volunteer] details').forEach(d => d.open = true)"
        )
        assert_fits(page)
        shot(page, "shift", variant)
        browser.close()
    assert UUID(site)
