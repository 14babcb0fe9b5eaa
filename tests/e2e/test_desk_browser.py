"""The check-in desk in a real browser, driven as a hand scanner drives it: typed characters
and Enter, nothing else. The answer names the person, the counts move with every scan, the
walk-in box is unticked for the next person, and nothing is drawn over anything else."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import started
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.stadium import stadium
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.e2e.test_packing_pages import volunteer
from tests.helpers import PASSWORD
from tests.processes import server
from web.platform.settings import Settings

WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def count(page: Any, shift: str) -> str:
    return str(page.inner_text(f"[data-count='{shift}']")).translate(WESTERN).strip()


def signed_in_to(page: Any, base: str, phone: str, url: str) -> None:
    page.goto(f"{base}/sign-in?next={url.removeprefix(base)}")
    page.fill("#phone", phone)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(url)


def scan_by_keyboard(page: Any, code: str) -> None:
    page.keyboard.type(code)
    page.keyboard.press("Enter")


@pytest.mark.parametrize(("locale", "width"), [("ar-EG", 360), ("en-GB", 1366)])
def test_two_scans_by_keyboard_move_the_counts_and_untick_the_walk_in(
    sqlite_settings: Settings, chromium: str, locale: str, width: int
) -> None:
    for services in started(sqlite_settings):
        world = stadium(services, capacity=50)
        booked = volunteer(services, world)
        walk_in = volunteer(services, world, signed_up=False)
    shift = world["shift"]
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 740}, locale=locale)
        desk = f"{base}/packing/{world['site']}/desk"
        signed_in_to(page, base, world["manager"], desk)
        page.wait_for_function("() => window.htmx !== undefined")
        assert page.evaluate("document.activeElement.id") == "desk-who"
        assert count(page, shift) == "0/50"

        scan_by_keyboard(page, booked["phone"])
        expect(page.locator("[data-answer=ok]")).to_contain_text("منى حسن")
        page.wait_for_function(
            "(shift) => document.querySelector(`[data-count='${shift}']`).dataset.in === '1'",
            arg=shift,
        )
        assert count(page, shift) == "1/50"
        assert page.evaluate("document.activeElement.id") == "desk-who"
        assert page.input_value("#desk-who") == ""

        page.select_option("#desk-shift", shift)
        page.focus("[data-walk-in]")
        page.keyboard.press("Space")
        assert page.is_checked("[data-walk-in]")
        page.focus("#desk-who")
        scan_by_keyboard(page, walk_in["phone"])
        page.wait_for_function(
            "(shift) => document.querySelector(`[data-count='${shift}']`).dataset.in === '2'",
            arg=shift,
        )
        expect(page.locator("[data-answer=ok]")).to_be_visible()
        assert count(page, shift) == "2/50"
        assert not page.is_checked("[data-walk-in]")
        assert page.input_value("#desk-shift") == shift
        assert page.evaluate("document.activeElement.id") == "desk-who"

        language = locale[:2]
        for size in (360, 1366):
            page.set_viewport_size({"width": size, "height": 740})
            assert_fits(page)
            screenshot(page, "desk", f"{language}-{size}")

        scan_by_keyboard(page, "01000000000")  # nobody's number: a red answer, nothing moves
        expect(page.locator("[data-answer=refused]")).to_be_visible()
        assert count(page, shift) == "2/50"
        assert page.evaluate("document.activeElement.id") == "desk-who"
        assert_fits(page)
        screenshot(page, "desk", f"{language}-refused")
        browser.close()
