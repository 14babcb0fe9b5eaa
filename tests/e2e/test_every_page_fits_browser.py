"""Every page type in a real browser, in Arabic and English, on a phone (360 × 740) and at a
desk (1366 × 768), each opened as the person who works on it, and the wall display also at
1920 × 1080: nothing is wider than the screen and no label, input or button is drawn over
another. On the Arabic phone, where tables scroll sideways, and on the wall, axe-core finds no
serious or critical violation (the English pages are the same templates; the staff pages' test
runs it on each staff page at a desk in Arabic, the volunteer pages' test on theirs at every
size). One server and one browser serve
the module; each size's screenshots are kept as test artifacts (``test-artifacts/every-page/``)
for a reviewer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from playwright.sync_api import Browser, sync_playwright

from coordination.areas.sign_ups.commands import JoinWaitlist, SignUp
from coordination.campaign_round import CampaignRound
from coordination.permissions import SYSTEM
from tests.conftest import migrated_sqlite, started
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.e2e.test_staff_pages_browser import (
    WORLD_DATA,
    staff_pages,
    staff_world,
    what_is_not_arabic,
)
from tests.e2e.test_volunteer_pages_browser import serious_violations
from tests.helpers import PASSWORD
from tests.integration.scenarios import make_shift
from tests.processes import server
from web.platform.i18n import LANGUAGE_COOKIE

# what the world was given in Latin letters, shown as typed: staff names, desk labels, a ticket
DATA_TYPED = (
    *WORLD_DATA,
    *(f"staff {name}" for name in ("admin", "governorate", "agent", "lead")),
    "desk 1",
    "desk 2",
    "A family needs food",
)
SIZES = [("ar", 360, 740), ("en", 360, 740), ("ar", 1366, 768), ("en", 1366, 768)]


def every_page(ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """(page type, who, path): the staff pages of the Arabic check, and every other page a
    person reads, from signing in to the wall display."""
    site, shift, point = ids["site"], ids["shift"], ids["point"]
    return [
        *staff_pages(ids),
        ("sign-in", "anonymous", "/sign-in"),
        ("register", "anonymous", "/register"),
        ("forgotten-password", "anonymous", "/set-password"),
        ("desk-enrolment", "anonymous", "/desk"),
        ("shifts", "volunteer", "/shifts"),  # a full shift offers its waitlist
        ("my-shifts", "volunteer", "/my-shifts"),  # a place on a waitlist
        ("profile", "volunteer", "/profile"),
        ("my-service", "volunteer", "/my-service"),
        ("inbox", "volunteer", "/inbox"),
        ("volunteer-import", "coordinator", f"/associations/{ids['association_x']}/import"),
        ("pool", "coordinator", "/pool"),
        ("verifications", "coordinator", "/verifications"),
        ("reset-codes", "coordinator", "/reset-codes"),
        ("packing", "manager", "/packing"),
        ("stadium-board-at", "manager", f"/packing/{site}/at?time=00:00"),
        ("devices", "manager", f"/packing/{site}/devices"),
        ("items-in", "manager", f"/packing/{site}/items-in"),
        ("line", "manager", f"/packing/{site}/lines/{ids['line']}"),
        ("badges", "manager", f"/packing/shifts/{shift}/badges"),
        ("shift", "manager", f"/sites/{site}/shifts/{shift}"),
        ("admin-sites", "admin", "/admin/sites"),
        ("admin-accounts", "admin", "/admin/accounts"),
        ("admin-account", "admin", f"/admin/accounts/{ids['account_b']}"),
        ("admin-associations", "admin", "/admin/associations"),
        ("admin-association", "admin", f"/admin/associations/{ids['association_x']}"),
        ("admin-rounds", "admin", "/admin/rounds"),
        ("admin-round", "admin", f"/admin/rounds/{CampaignRound.create_id('world-round')}"),
        ("trainings", "admin", "/training"),
        ("point-import", "admin", f"/points/{point}/import"),
        ("import-progress", "admin", f"/imports/{ids['job']}"),
        ("kitchens", "admin", "/kitchens"),
        ("ticket", "agent", f"/operations/tickets/{ids['ticket']}"),
    ]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[Served]:
    """The staff pages' world and a volunteer waiting for a full shift, one server, one
    browser, and each person's signed-in cookies."""
    settings = migrated_sqlite(tmp_path_factory.mktemp("every-page"))
    phones, ids = staff_world(settings)
    for services in started(settings):
        full = make_shift(services, capacity=1, hour=10, hours=2)
        services.dispatcher.run(SignUp(full, UUID(ids["volunteer_b"]), "takes-the-last"), SYSTEM)
        services.dispatcher.run(JoinWaitlist(full, UUID(ids["volunteer_a"])), SYSTEM)
        services.runner.catch_up()
    with server(settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        cookies = {role: signed_in(browser, base, phone) for role, phone in phones.items()}
        yield Served(base, browser, cookies, ids)
        browser.close()


@dataclass(frozen=True)
class Served:
    base: str
    browser: Browser
    cookies: dict[str, list[Any]]  # each role's signed-in session, in the browser's form
    ids: dict[str, str]

    def page(self, role: str, language: str, width: int, height: int) -> Any:
        """A page of a new context at the size, in the language, as the role."""
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            locale=f"{language}-EG",
            bypass_csp=True,  # axe-core is injected as a script of the test's own
        )
        language_cookie = {"name": LANGUAGE_COOKIE, "value": language, "url": self.base}
        context.add_cookies([*self.cookies.get(role, []), language_cookie])
        return context.new_page()


def signed_in(browser: Browser, base: str, phone: str) -> list[Any]:
    """The cookies of a session signed in through the API (quicker than the form)."""
    context = browser.new_context()
    token = context.request.get(f"{base}/api/v1/session").json()["csrf_token"]
    answer = context.request.post(
        f"{base}/api/v1/session",
        data={"phone": phone, "password": PASSWORD},
        headers={"X-CSRF-Token": token},
    )
    assert answer.ok, answer.text()
    cookies = context.cookies()
    context.close()
    return list(cookies)


def looked_at(page: Any, base: str, kind: str, path: str, shown: str, axe: bool) -> list[str]:
    """What a reader would notice on the page (and axe-core if asked); its screenshot is kept."""
    response = page.goto(f"{base}{path}")
    if response is None or response.status != 200:
        return [f"{kind} {shown}: {path} answered {response and response.status}"]
    screenshot(page, "every-page", f"{kind}-{shown}")
    problems = [f"{kind} {shown}: {v}" for v in (serious_violations(page) if axe else [])]
    try:
        assert_fits(page)
    except AssertionError as error:
        problems.append(f"{kind} {shown}: {error}")
    if shown == "ar-1366":  # last: it takes the codes shown as typed out of the page
        problems += [f"{kind} {shown}: {p}" for p in what_is_not_arabic(page, DATA_TYPED)]
    return problems


@pytest.mark.parametrize(("language", "width", "height"), SIZES)
def test_every_page_type_fits_without_overlap(
    served: Served, language: str, width: int, height: int
) -> None:
    shown = f"{language}-{width}"
    problems: list[str] = []
    by_role: dict[str, list[tuple[str, str]]] = {}
    for kind, role, path in every_page(served.ids):
        by_role.setdefault(role, []).append((kind, path))
    axe = width == 360 and language == "ar"
    for role, pages in by_role.items():
        page = served.page(role, language, width, height)
        for kind, path in pages:
            problems += looked_at(page, served.base, kind, path, shown, axe=axe)
        page.context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_wall_display_fits_a_1920_screen(served: Served, language: str) -> None:
    page = served.page("manager", language, 1920, 1080)
    tv = f"/packing/{served.ids['site']}/tv"
    problems = looked_at(page, served.base, "tv", tv, f"{language}-1920", axe=True)
    page.context.close()
    assert problems == [], "\n".join(problems)
