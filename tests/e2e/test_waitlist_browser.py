"""A volunteer promoted from a waitlist reads it in their inbox, with the unread count in the
header, then joins another full shift's waitlist and sees their place, in a real browser, in
Arabic and English, on a phone and at a desk."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.shifts.commands import PlannedShift, PlanShifts
from coordination.areas.sign_ups.commands import JoinWaitlist, SignUp, Withdraw
from coordination.areas.sites.commands import OpenSite
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.permissions import SYSTEM, Actor
from tests.conftest import started
from tests.e2e.browser import signed_in
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server
from web.platform.settings import Settings

SHOTS = Path(os.environ.get("KATF_SHOTS", "/tmp/shots/waitlist"))


def shot(page: Any, name: str, variant: str) -> None:
    screenshot(page, "waitlist", f"{name}-{variant}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{variant}.png"), full_page=True)


def a_promoted_volunteer(settings: Settings) -> str:
    """Two full morning shifts of one place; Mona waited for the first and was promoted."""
    mona_phone = mobile()
    day = (datetime.now(CAMPAIGN_TIMEZONE) + timedelta(days=1)).date()
    starts = datetime(day.year, day.month, day.day, 8, tzinfo=CAMPAIGN_TIMEZONE)
    for services in started(settings):
        run = services.dispatcher.run
        site = run(OpenSite("tanta-club", "packing", "16", "نادي طنطا", "Tanta club"), SYSTEM)
        grid = (
            PlannedShift("packer", starts, starts + timedelta(hours=4), 1),
            PlannedShift("loader", starts + timedelta(hours=5), starts + timedelta(hours=9), 1),
        )
        packers, loaders = run(PlanShifts(site, grid), SYSTEM).scheduled

        def person(name: str, phone: str | None = None, run: Any = run) -> Any:
            return run(RegisterVolunteer(name, phone or mobile(), national_id(), "16", PASSWORD))

        holder, other, mona = (
            person("كريم نبيل"),
            person("عمر فتحي"),
            person("منى عادل", mona_phone),
        )
        run(SignUp(packers, holder), Actor(volunteer_id=holder))
        run(SignUp(loaders, other), Actor(volunteer_id=other))
        run(JoinWaitlist(packers, mona), Actor(volunteer_id=mona))
        run(Withdraw(packers, holder), Actor(volunteer_id=holder))
    return mona_phone


@pytest.mark.parametrize(
    ("locale", "width"), [("ar-EG", 360), ("ar-EG", 1366), ("en-GB", 360), ("en-GB", 1366)]
)
def test_the_promoted_read_their_inbox_and_join_another_waitlist(
    sqlite_settings: Settings, chromium: str, locale: str, width: int
) -> None:
    phone = a_promoted_volunteer(sqlite_settings)
    variant = f"{locale[:2]}-{width}"
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
        signed_in(page, base, locale, phone)
        page.goto(f"{base}/inbox")
        expect(page.locator("[data-inbox-link] .unread-count")).to_be_visible()
        expect(page.locator("[data-message=promoted].unread")).to_have_count(1)
        assert_fits(page)
        shot(page, "inbox", variant)
        page.locator("form[action='/inbox/read'] button").click()
        expect(page.locator("[data-message=promoted].unread")).to_have_count(0)
        expect(page.locator("[data-inbox-link] .unread-count")).to_have_count(0)

        page.goto(f"{base}/shifts")
        join = page.locator("form[action$='/waitlist'] button")
        expect(join).to_have_count(1)  # the loaders' shift; the packers' place is hers
        join.click()
        expect(page.locator("[data-position='1']")).to_be_visible()
        expect(page.locator("[data-waiting='1']")).to_be_visible()
        assert_fits(page)
        shot(page, "joined", variant)
        page.goto(f"{base}/my-shifts")
        expect(page.locator("[data-waiting-for] [data-position='1']")).to_be_visible()
        assert_fits(page)
        shot(page, "my-shifts", variant)
        browser.close()
