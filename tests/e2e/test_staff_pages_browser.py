"""Every staff page type in a real browser, in Arabic, each opened as the role that works on
it: the admin's home and a site's history, the packing console, the desk, a kitchen, an
association, the operations room and its statistics, a governorate's board, the site's shifts
grid, a training session, the stadium board and its wall display, a distribution point, the
national board and the kitchens' boards. axe-core finds no serious or critical violation,
and the Arabic page has no Western digit, no Latin comma and no Latin word but the allowed
ones (the brand, the export formats' names, and the data the world was given in Latin
letters). Screenshots are kept as test artifacts."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import sync_playwright

from coordination.areas.accounts.commands import CreateUser
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.layout import screenshot
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.e2e.test_volunteer_pages_browser import ALLOWED_LATIN, serious_violations
from tests.e2e.world import build_world
from tests.helpers import PASSWORD, mobile
from tests.processes import server
from web.platform.settings import Settings

FORMATS = {"CSV", "XLSX"}  # the names of the export files' formats, as a spreadsheet names them
# What the access tests' world was given in Latin letters (a line, its zone, people, a place):
# data shown as typed, taken out before the page's own words are read
WORLD_DATA = (
    "Line 1",
    "North stand",
    "Placed Person",
    "Volunteer A",
    "Volunteer B",
    "Coordinator_X",
    "Coordinator_Y",
    "Site_Manager",
    "Admin",
    "Caller",
    "Cairo",
)
STAFF = {
    "admin": Grant(Role.NATIONAL_ADMIN),
    "governorate": Grant(Role.GOVERNORATE_COORDINATOR, "01"),
    "agent": Grant(Role.OPERATIONS_AGENT),
}


def staff_world(settings: Settings) -> tuple[dict[str, str], dict[str, str]]:
    """The access tests' world, with a kitchen lead, a governorate coordinator and an agent."""
    for services in started(settings):
        world = build_world(services, None)  # type: ignore[arg-type]  # no test client here
        phones = {
            "admin": world.phones["admin"],
            "manager": world.phones["site_manager"],
            "coordinator": world.phones["coordinator_x"],
            "volunteer": world.phones["volunteer_a"],
        }
        grants = {**STAFF, "lead": Grant(Role.KITCHEN_LEAD, world.ids["kitchen"])}
        for name, grant in grants.items():
            if name not in phones:
                phones[name] = mobile()
                user = CreateUser(phones[name], f"staff {name}", PASSWORD, [grant])
                services.dispatcher.run(user, SYSTEM)
        services.runner.catch_up()
        return phones, world.ids
    raise AssertionError("no services")


def staff_pages(ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """(page type, role, path): one page of each type."""
    site = ids["site"]
    return [
        ("admin", "admin", "/admin"),
        ("admin-site", "admin", f"/admin/sites/{site}"),  # its history, each step's time
        ("packing-console", "manager", f"/packing/{site}/console"),
        ("desk", "manager", f"/packing/{site}/desk"),
        ("kitchen", "lead", f"/kitchens/{ids['kitchen']}"),
        ("association", "coordinator", f"/associations/{ids['association_x']}"),
        ("operations", "agent", "/operations"),
        ("operations-statistics", "agent", "/operations/statistics"),  # assignees by name
        ("governorate", "governorate", "/governorates/01"),
        ("shifts-grid", "manager", f"/sites/{site}/shifts"),
        ("training", "admin", f"/training/sessions/{ids['session']}"),
        ("stadium-board", "manager", f"/packing/{site}"),
        ("tv", "manager", f"/packing/{site}/tv"),
        ("point", "admin", f"/points/{ids['point']}"),
        ("governorates", "admin", "/governorates"),
        ("kitchens-national", "admin", "/kitchens/national"),
        ("kitchens-governorate", "governorate", "/kitchens/governorates/01"),
    ]


def what_is_not_arabic(page: Any, data_typed: tuple[str, ...] = WORLD_DATA) -> list[str]:
    """Western digits, Latin words, Latin commas and middle dots (beside Arabic-Indic digits a
    "·" reads as a zero) in the page's text, number fields that hold or show Western digits
    (a browser's ``type=number`` shows no other), and lists the browser numbers in Western digits,
    leaving out the codes it shows as typed (a ticket's reference, marked translate="no") and
    the world's ``data_typed`` in Latin letters."""
    page.evaluate("() => document.querySelectorAll('[translate=no]').forEach(e => e.remove())")
    text = page.inner_text("body")
    for data in data_typed:
        text = text.replace(data, "")
    found = []
    if re.search(r"[0-9]", text):
        found.append(f"Western digits: {sorted(set(re.findall(r'[0-9]+', text)))}")
    latin = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN - FORMATS
    if latin:
        found.append(f"Latin words: {sorted(latin)}")
    if "," in text:
        found.append(f"Latin commas: {re.findall(r'.{0,20},.{0,20}', text)}")
    if "·" in text:
        found.append(f"Middle dots: {re.findall(r'.{0,20}·.{0,20}', text)}")
    numbered = page.evaluate(  # a list's numbers are drawn by the browser, not in the text
        "() => [...document.querySelectorAll('ol')].map(e => getComputedStyle(e).listStyleType)"
    )
    if any(style != "arabic-indic" for style in numbered):
        found.append(f"Lists numbered {sorted(set(numbered))}")
    fields = page.evaluate(  # what a number field holds is not in the text either
        "() => [...document.querySelectorAll('input')]"
        ".filter(e => e.type === 'number' || (['numeric', 'decimal'].includes(e.inputMode)"
        " && /[0-9]/.test(e.value + e.placeholder)))"
        ".map(e => `${e.name} (${e.type}): ${e.value}`)"
    )
    if fields:
        found.append(f"Number fields in Western digits: {sorted(set(fields))}")
    return found


def test_every_staff_page_type_reads_as_arabic_and_passes_axe(
    sqlite_settings: Settings, chromium: str
) -> None:
    phones, ids = staff_world(sqlite_settings)
    problems: list[str] = []
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        contexts: dict[str, Any] = {}
        for kind, role, path in staff_pages(ids):
            if role not in contexts:
                contexts[role] = browser.new_context(
                    viewport={"width": 1366, "height": 768}, locale="ar-EG", bypass_csp=True
                )  # axe-core is injected as a script of the test's own
                page = contexts[role].new_page()
                page.goto(f"{base}/language/ar?next=/sign-in")
                page.fill("#phone", phones[role])
                page.fill("#password", PASSWORD)
                page.press("#password", "Enter")
                page.wait_for_url(lambda url: "/sign-in" not in url)
            page = contexts[role].pages[0]
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, (kind, path)
            problems += [f"{kind}: {v}" for v in serious_violations(page)]
            screenshot(page, "staff", f"{kind}-ar-1366")
            problems += [f"{kind}: {p}" for p in what_is_not_arabic(page)]
        browser.close()
    assert problems == [], "\n".join(problems)
