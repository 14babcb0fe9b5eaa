"""A volunteer's pages in a real browser, in Arabic and English, on a phone and at a desk:
registration's mistakes all said at once and focused, then the shift list, my shifts, the
profile and my service: nothing overflows or overlaps, axe-core finds no serious or critical
violation, and an Arabic page has no Western digit and no Latin word but the allowed ones."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.permissions import SYSTEM
from tests.conftest import started
from tests.e2e.layout import ARTIFACTS, assert_fits, screenshot
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server
from web.platform.settings import Settings

AXE = Path(__file__).parents[1] / "vendor" / "axe.min.js"
ALLOWED_LATIN = {"Katf", "English"}  # the brand, and the language switch naming English
SIZES = [("ar-EG", 360, 740), ("ar-EG", 1366, 768), ("en-GB", 360, 740), ("en-GB", 1366, 768)]


def a_day_of_shifts(settings: Settings) -> None:
    day = (datetime.now(CAMPAIGN_TIMEZONE) + timedelta(days=1)).date()
    starts = datetime(day.year, day.month, day.day, 8, tzinfo=CAMPAIGN_TIMEZONE)
    for services in started(settings):
        run = services.dispatcher.run
        site = run(OpenSite("smouha", "packing", "02", "نادي سموحة", "Smouha club"), SYSTEM)
        for hour, places in ((0, 20), (5, 3)):
            begin = starts + timedelta(hours=hour)
            run(ScheduleShift(site, "packer", begin, begin + timedelta(hours=4), places), SYSTEM)


def serious_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
    )


def reads_as_arabic(page: Any) -> None:
    text = page.inner_text("body")
    assert not re.findall(r"[0-9]", text), "an Arabic page writes Arabic-Indic digits"
    latin = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN
    assert not latin, f"Latin words on an Arabic page: {sorted(latin)}"


def reads_left_to_right(page: Any, selector: str) -> bool:
    """The first character of the element's text is drawn left of its last one."""
    return page.evaluate(
        """(selector) => { const text = document.querySelector(selector).firstChild;
             const at = (i) => { const r = document.createRange(); r.setStart(text, i);
                                 r.setEnd(text, i + 1); return r.getBoundingClientRect().left; };
             const chars = [...text.data].map((c, i) => [c, i]).filter(([c]) => c.trim()
                                                                   && c !== '\\u200e');
             return at(chars[0][1]) < at(chars[chars.length - 1][1]); }""",
        selector,
    )


def screenshot_path(name: str, variant: str) -> Path:
    folder = ARTIFACTS / "volunteer"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}-{variant}.png"


def looked_at(page: Any, name: str, variant: str, arabic: bool) -> None:
    assert_fits(page)
    assert serious_violations(page) == []
    if arabic:
        reads_as_arabic(page)
    screenshot(page, "volunteer", f"{name}-{variant}")


@pytest.mark.parametrize(("locale", "width", "height"), SIZES)
def test_a_volunteer_registers_and_finds_a_shift_in_the_browser(
    sqlite_settings: Settings, chromium: str, locale: str, width: int, height: int
) -> None:
    a_day_of_shifts(sqlite_settings)
    arabic, variant = locale.startswith("ar"), f"{locale[:2]}-{width}"
    phone = mobile()
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(
            viewport={"width": width, "height": height}, locale=locale, bypass_csp=True
        )  # axe-core is injected as a script of the test's own
        page.goto(f"{base}/language/{locale[:2]}?next=/sign-in")
        looked_at(page, "sign-in", variant, arabic)
        page.goto(f"{base}/register")
        page.fill("#full_name", "1")
        page.fill("#phone", phone)
        page.fill("#national_id", "2990101")
        page.fill("#password", "short")
        page.click("form.form button[type=submit]")
        summary = page.locator(".error-summary")
        expect(summary).to_be_focused()
        expect(summary.locator("a")).to_have_count(4)
        assert page.input_value("#phone") == phone and page.input_value("#password") == ""
        looked_at(page, "register-four-mistakes", variant, arabic)
        summary.locator("a[href='#password']").click()
        expect(page.locator("#password")).to_be_focused()

        page.fill("#full_name", "منى حسن")
        page.fill("#national_id", national_id())
        page.select_option("#governorate", "02")
        page.fill("#password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(re.compile(r"/shifts"))
        expect(page.locator(".shift-card")).to_have_count(2)
        looked_at(page, "shifts", variant, arabic)

        page.locator(".shift-card form[action$='/sign-up'] button").first.click()
        # the answer waits up to two seconds for each view it shows: on a loaded machine (the
        # full suite beside a browser on two cores) more than the default five in all
        withdraw = page.locator(".shift-card form[action$='/withdraw']")
        expect(withdraw).to_have_count(1, timeout=15_000)
        for name in ("my-shifts", "profile", "my-service"):
            page.goto(f"{base}/{name}")
            looked_at(page, name, variant, arabic)
        page.goto(f"{base}/profile")
        assert page.locator("dd bdi").first.get_attribute("dir") == "ltr"
        assert reads_left_to_right(page, "dd bdi"), "+20 comes first, then the groups in order"
        page.locator("dd bdi").first.screenshot(path=str(screenshot_path("phone", variant)))
        browser.close()


def forty_shifts(settings: Settings) -> None:
    """A full page of shifts: two sites, two days, ten shifts each."""
    day = (datetime.now(CAMPAIGN_TIMEZONE) + timedelta(days=1)).date()
    for services in started(settings):
        run = services.dispatcher.run
        for code, ar, en in (
            ("gezira", "مركز شباب الجزيرة", "Gezira youth centre"),
            ("smouha", "نادي سموحة", "Smouha club"),
        ):
            site = run(OpenSite(code, "packing", "01", ar, en), SYSTEM)
            for offset in (0, 1):
                on = day + timedelta(days=offset)
                for hour in range(7, 17):
                    begin = datetime(on.year, on.month, on.day, hour, tzinfo=CAMPAIGN_TIMEZONE)
                    shift = ScheduleShift(site, "packer", begin, begin + timedelta(hours=1), 20)
                    run(shift, SYSTEM)


@pytest.mark.parametrize("locale", ["ar-EG", "en-GB"])
def test_forty_shifts_load_on_a_phone_in_under_30_kb_grouped_by_day_and_site(
    sqlite_settings: Settings, chromium: str, locale: str
) -> None:
    forty_shifts(sqlite_settings)
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 360, "height": 740}, locale=locale)
        page.goto(f"{base}/language/{locale[:2]}?next=/shifts")
        expect(page.locator(".shift-card")).to_have_count(40)
        expect(page.locator(".shift-day")).to_have_count(2)
        expect(page.locator(".site-heading")).to_have_count(4)
        sent = page.evaluate(
            """() => [...performance.getEntriesByType('navigation'),
                      ...performance.getEntriesByType('resource')]
                     .reduce((total, entry) => total + entry.transferSize, 0)"""
        )
        print(f"the first load of /shifts ({locale}) sent {sent} bytes")
        assert 0 < sent < 30_000, f"the first load of /shifts sent {sent} bytes"
        assert_fits(page)
        screenshot(page, "volunteer", f"forty-shifts-{locale[:2]}-360")
        browser.close()
