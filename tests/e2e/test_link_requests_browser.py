"""In a real browser, in Arabic and English, on a phone and a desk screen: a volunteer answers
an association that imported their national ID; a person whose ID was imported with another
number reads that their registration is being checked; the importing coordinator confirms it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.roster.commands import ImportVolunteers
from coordination.areas.sites.commands import FoundAssociation
from coordination.permissions import SYSTEM, Actor, Grant, Role
from tests.conftest import started
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server
from web.platform.settings import Settings

SHOTS = Path(os.environ.get("KATF_SHOTS", "/tmp/shots/link-requests"))


def shot(page: Any, name: str, variant: str) -> None:
    screenshot(page, "link-requests", f"{name}-{variant}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{variant}.png"), full_page=True)


def sign_in(page: Any, base: str, phone: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/sign-in")
    page.fill("#phone", phone)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()


def seeded(settings: Settings) -> dict[str, Any]:
    people = {"coordinator": mobile(), "volunteer": mobile(), "owner": mobile()}
    for services in started(settings):
        run = services.dispatcher.run
        home = run(FoundAssociation("nour", "جمعية النور", "Al Nour Association", "01"), SYSTEM)
        other = run(FoundAssociation("amal", "جمعية الأمل", "Al Amal Association", "02"), SYSTEM)
        grant = Grant(Role.ASSOCIATION_COORDINATOR, str(home))
        account = run(CreateUser(people["coordinator"], "هدى سالم", PASSWORD, [grant]), SYSTEM)
        digits = national_id()
        run(RegisterVolunteer("سارة نبيل", people["volunteer"], digits, "02", PASSWORD, other))
        owner_digits = national_id()
        rows = [
            {"full_name": "Whoever", "phone": people["volunteer"], "national_id": digits},
            {"full_name": "محمود علي", "phone": mobile(), "national_id": owner_digits},
        ]
        importer = Actor(account_id=account, grants=frozenset({grant}))
        assert run(ImportVolunteers(home, rows), importer) == ["asked", "created"]
        run(RegisterVolunteer("أمل فتحي", people["owner"], owner_digits, "01", PASSWORD))
        people["home"] = str(home)
    return people


@pytest.mark.parametrize(
    ("locale", "width"), [("ar-EG", 360), ("ar-EG", 1366), ("en-GB", 360), ("en-GB", 1366)]
)
def test_asked_volunteers_and_checked_registrations_in_the_browser(
    sqlite_settings: Settings, chromium: str, locale: str, width: int
) -> None:
    people = seeded(sqlite_settings)
    variant = f"{locale[:2]}-{width}"
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)

        sign_in(page, base, people["volunteer"])
        page.goto(f"{base}/my-service")
        asked = page.locator(f"[data-link-request='{people['home']}']")
        expect(asked).to_be_visible()
        assert_fits(page)
        shot(page, "my-service-asked", variant)
        asked.locator("button[value='1']").click()
        joined = "انضممت إلى الجمعية." if locale.startswith("ar") else "You joined the association."
        expect(page.locator(".notice.success")).to_have_text(joined)
        expect(page.locator("[data-link-request]")).to_have_count(0)
        shot(page, "my-service-joined", variant)

        sign_in(page, base, people["owner"])
        page.goto(f"{base}/shifts")
        expect(page.locator("[data-being-checked]")).to_be_visible()
        assert_fits(page)
        shot(page, "shifts-being-checked", variant)

        sign_in(page, base, people["coordinator"])
        page.goto(f"{base}/verifications")
        waiting = page.locator("[data-verification]")
        expect(waiting).to_have_count(1)
        expect(waiting.locator("[data-imported-by]")).to_contain_text("هدى سالم")
        assert_fits(page)
        shot(page, "verifications", variant)
        waiting.locator("button[value='1']").click()
        expect(page.locator(".notice.success")).to_be_visible()
        expect(page.locator("[data-verification]")).to_have_count(0)

        page.goto(f"{base}/associations/{people['home']}")
        expect(page.get_by_text("سارة نبيل")).to_be_visible()  # joined, so now on the roster
        expect(page.get_by_text("أمل فتحي")).to_be_visible()  # confirmed, under her own name
        page.goto(f"{base}/associations/{people['home']}/import")
        shot(page, "import-form", variant)
        browser.close()
