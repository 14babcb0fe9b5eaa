"""The shared pool in a real browser, in Arabic and English, on a phone and a desk screen: an
association's coordinator reads how many volunteers each association has, and no name."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.areas.sites.commands import FoundAssociation
from coordination.areas.training.commands import Enrol, RecordAttendance, ScheduleSession
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_link_requests_browser import sign_in
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server
from web.platform.settings import Settings

SHOTS = Path(os.environ.get("KATF_SHOTS", "/tmp/shots/pool"))
NAMES = ("سارة نبيل", "Karim Fathy", "منى حسن")


def seeded(settings: Settings) -> dict[str, Any]:
    people = {"coordinator": mobile()}
    for services in started(settings):
        run = services.dispatcher.run
        home = run(FoundAssociation("nour", "جمعية النور", "Al Nour Association", "01"), SYSTEM)
        other = run(FoundAssociation("amal", "جمعية الأمل", "Al Amal Association", "02"), SYSTEM)
        grant = Grant(Role.ASSOCIATION_COORDINATOR, str(home))
        run(CreateUser(people["coordinator"], "هدى سالم", PASSWORD, [grant]), SYSTEM)
        session = run(ScheduleSession("first_aid", datetime.now(UTC), "Cairo", 5), SYSTEM)
        for n, name in enumerate(NAMES):
            volunteer = run(RegisterVolunteer(name, mobile(), national_id(), "02", PASSWORD, other))
            if n:
                run(Enrol(session, volunteer), SYSTEM)
                run(RecordAttendance(session, volunteer), SYSTEM)
        services.runner.catch_up()
        people |= {"home": str(home), "other": str(other)}
    return people


@pytest.mark.parametrize(
    ("locale", "width"), [("ar-EG", 360), ("ar-EG", 1366), ("en-GB", 360), ("en-GB", 1366)]
)
def test_the_pool_in_the_browser_counts_and_names_nobody(
    sqlite_settings: Settings, chromium: str, locale: str, width: int
) -> None:
    people = seeded(sqlite_settings)
    variant = f"{locale[:2]}-{width}"
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
        sign_in(page, base, people["coordinator"])
        page.goto(f"{base}/pool")
        theirs = page.locator(f"[data-association='{people['other']}']")
        expect(theirs.locator("[data-volunteers]")).to_have_text(
            "٣" if variant[:2] == "ar" else "3"
        )
        expect(page.locator(f"a.button[href='/associations/{people['home']}']")).to_be_visible()
        for name in NAMES:
            assert name not in page.content()
        assert_fits(page)
        screenshot(page, "pool", variant)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"pool-{variant}.png"), full_page=True)
        browser.close()
