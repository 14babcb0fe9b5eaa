"""Pages that overflowed a phone, in a real browser at 360 and 1366 px, Arabic and English:
the packing console (the truck form's point list, the places and trucks tables, shown as
cards on a phone), the shared import form (its label and file input) and the volunteer's
profile with the form that changes their details. Nothing wider than the screen, no label,
input or button drawn over another; each size's screenshot is kept for a reviewer."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from playwright.sync_api import sync_playwright

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.attendance.commands import AssignPlace
from coordination.areas.sign_ups.commands import SignUp
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.permissions import SYSTEM
from tests.conftest import started
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_desk_browser import signed_in_to
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.e2e.world import build_world
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server
from web.platform.settings import Settings

SHOTS = Path(os.environ.get("KATF_SHOTS", "/tmp/shots/phone-layout"))
SIZES = (("ar-EG", 360), ("en-GB", 360), ("ar-EG", 1366), ("en-GB", 1366))
LONG_NAME = "Abdelrahman Mohamed Abdelmoneim Elsayed Abouelmagd"
LONG_POINT = (
    "Abu Hammad (Sharqia) eastern villages distribution point",
    "نقطة توزيع قرى أبو حماد الشرقية",
)


def phone_world(settings: Settings) -> tuple[dict[str, str], dict[str, str]]:
    """The access tests' world (a site with a line, a placed volunteer, a truck to a point)
    a point whose long name once widened the truck form past a phone's screen, and a volunteer
    placed on a line today, so the console lists places."""
    for services in started(settings):
        world = build_world(services, None)  # type: ignore[arg-type]  # no test client here
        en, ar = LONG_POINT
        services.dispatcher.run(OpenSite("long-point", "distribution_point", "13", ar, en), SYSTEM)
        world.phones["newcomer"] = phone = mobile()
        newcomer = RegisterVolunteer(LONG_NAME, phone, national_id(), "13", PASSWORD)
        services.dispatcher.run(newcomer, SYSTEM)
        start = datetime.now(UTC) + timedelta(minutes=5)  # today's shift: the console shows today
        site, placed = UUID(world.ids["site"]), UUID(world.ids["placed"])
        shift = services.dispatcher.run(
            ScheduleShift(site, "packer", start, start + timedelta(hours=1), 5), SYSTEM
        )
        services.dispatcher.run(SignUp(shift, placed, "placed-today"), SYSTEM)
        place = AssignPlace(shift, placed, "", "packer", UUID(world.ids["line"]))
        services.dispatcher.run(place, SYSTEM)
        services.runner.catch_up()
        return world.phones, world.ids
    raise AssertionError("no services")


def pages(ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, who, path) of each page looked at."""
    return [
        ("console", "site_manager", f"/packing/{ids['site']}/console"),
        ("point-import", "admin", f"/points/{ids['point']}/import"),
        ("volunteer-import", "coordinator_x", f"/associations/{ids['association_x']}/import"),
        ("profile", "newcomer", "/profile"),
    ]


def looked_at(page: Any, name: str) -> None:
    shot = screenshot(page, "phone-layout", name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, SHOTS / shot.name)


def test_console_import_and_profile_fit_a_phone_and_a_desktop(
    sqlite_settings: Settings, chromium: str
) -> None:
    phones, ids = phone_world(sqlite_settings)
    problems: list[str] = []
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        for name, who, path in pages(ids):
            for locale, width in SIZES:
                context = browser.new_context(
                    viewport={"width": width, "height": 740}, locale=locale
                )
                page = context.new_page()
                page.goto(f"{base}/language/{locale[:2]}?next=/sign-in")
                signed_in_to(page, base, phones[who], f"{base}{path}")
                response = page.goto(f"{base}{path}")
                assert response is not None and response.status == 200, (name, response)
                shown = f"{name}-{locale[:2]}-{width}"
                looked_at(page, shown)
                try:
                    assert_fits(page)
                except AssertionError as error:
                    problems.append(f"{shown}: {error}")
                if name == "profile":
                    problems += mistakes_then_saved(page, f"{shown}-mistakes")
                if name == "console" and not page.locator("table[data-places] td").count():
                    problems.append(f"{shown}: nobody is listed as placed")
                if name == "console":
                    wide = [t for t in tables(page) if t["width"] > width]
                    problems += [f"{shown}: a table scrolls sideways: {t}" for t in wide]
                context.close()
        browser.close()
    assert problems == [], "\n".join(problems)


def tables(page: Any) -> list[dict[str, Any]]:
    """Each table's own width: inside its scrolling wrapper the page fits while the table,
    wider than the screen, scrolls sideways under the reader's thumb."""
    return list(
        page.evaluate(
            "() => [...document.querySelectorAll('table')].map(t => ({"
            "table: t.dataset.places !== undefined ? 'places' : Object.keys(t.dataset).join(),"
            " width: Math.ceil(t.getBoundingClientRect().width),"
            " scrolls: t.scrollWidth > t.clientWidth + 1}))"
        )
    )


def mistakes_then_saved(page: Any, shown: str) -> list[str]:
    """The details' form sent by htmx with a blank name and then a good one: the mistake is
    summarised above the form with the governorate kept as chosen, then the change is said."""
    page.fill("#full_name", " ")
    page.select_option("#governorate", "21")
    page.click("#my-details button[type=submit]")
    page.wait_for_selector("#my-details .error-summary")
    problems = []
    if page.input_value("#governorate") != "21":
        problems.append(f"{shown}: the chosen governorate was not kept")
    looked_at(page, shown)
    try:
        assert_fits(page)
    except AssertionError as error:
        problems.append(f"{shown}: {error}")
    page.fill("#full_name", LONG_NAME)
    page.click("#my-details button[type=submit]")
    page.wait_for_selector("#my-details p.notice.success")
    if page.locator("#my-details .error-summary").count():
        problems.append(f"{shown}: the mistake is still said after a good change")
    page.select_option("#governorate", "13")  # as it was, for the next size's screenshot
    page.click("#my-details button[type=submit]")
    page.wait_for_selector("#my-details p.notice.success")
    return problems
