"""A volunteer released half an hour into a shift they did not come to reads why, in their
inbox and on their shifts page, in a real browser, in Arabic and English, on a phone and at a
desk; the waiting volunteer who got the place reads that it is theirs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.shifts.commands import PlannedShift, PlanShifts, ReleaseNoShows
from coordination.areas.sign_ups.commands import JoinWaitlist, SignUp
from coordination.areas.sites.commands import OpenSite
from coordination.permissions import SYSTEM, Actor
from tests.conftest import started
from tests.e2e.browser import signed_in
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server
from web.platform.settings import Settings


def a_released_volunteer(settings: Settings) -> tuple[str, str]:
    """The packers' shift began 40 minutes ago; Karim never came and Mona was waiting."""
    karim, mona = mobile(), mobile()
    starts = (datetime.now(UTC) - timedelta(minutes=40)).replace(second=0, microsecond=0)
    for services in started(settings):
        run = services.dispatcher.run
        services.app.clock = lambda: starts - timedelta(hours=2)  # type: ignore[method-assign]
        site = run(OpenSite("tanta-club", "packing", "16", "نادي طنطا", "Tanta club"), SYSTEM)
        grid = (PlannedShift("packer", starts, starts + timedelta(hours=4), 1),)
        (packers,) = run(PlanShifts(site, grid), SYSTEM).scheduled

        def person(name: str, phone: str, run: Any = run) -> Any:
            return run(RegisterVolunteer(name, phone, national_id(), "16", PASSWORD))

        holder, waiting = person("كريم نبيل", karim), person("منى عادل", mona)
        run(SignUp(packers, holder), Actor(volunteer_id=holder))
        run(JoinWaitlist(packers, waiting), Actor(volunteer_id=waiting))
        services.app.clock = lambda: datetime.now(UTC)  # type: ignore[method-assign]
        assert run(ReleaseNoShows(packers), SYSTEM) == 1
    return karim, mona


@pytest.mark.parametrize(
    ("locale", "width"), [("ar-EG", 360), ("ar-EG", 1366), ("en-GB", 360), ("en-GB", 1366)]
)
def test_the_released_and_the_promoted_read_what_happened(
    sqlite_settings: Settings, chromium: str, locale: str, width: int
) -> None:
    karim, mona = a_released_volunteer(sqlite_settings)
    variant = f"{locale[:2]}-{width}"
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
        signed_in(page, base, locale, karim)
        page.goto(f"{base}/inbox")
        expect(page.locator("[data-message=lost_no_show]")).to_have_count(1)
        assert_fits(page)
        screenshot(page, "no-show", f"inbox-{variant}")
        page.goto(f"{base}/my-shifts")
        expect(page.locator("[data-lost=no_show]")).to_have_count(1)
        assert_fits(page)
        screenshot(page, "no-show", f"my-shifts-{variant}")
        browser.close()
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
        signed_in(page, base, locale, mona)
        page.goto(f"{base}/inbox")
        expect(page.locator("[data-message=promoted]")).to_have_count(1)
        browser.close()
