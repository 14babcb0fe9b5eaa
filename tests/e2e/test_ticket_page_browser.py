"""A ticket's page in a real browser: an agent finds an association by typing part of its
name, picks it and assigns; the page fits at 360 and 1366 px in Arabic and English."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.sites.commands import FoundAssociation
from coordination.areas.tickets.commands import OpenTicket, Triage
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_desk_browser import signed_in_to
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile
from tests.processes import server
from web.platform.settings import Settings

SHOTS = Path("/tmp/shots/operations-room")


def a_late_ticket(settings: Settings) -> dict[str, str]:
    """A ticket triaged urgent two hours ago, two associations to choose from, an agent."""
    for services in started(settings):
        run, core = services.dispatcher.run, services.app
        for key, ar, en in (("resala", "جمعية رسالة", "Resala"), ("orman", "الأورمان", "Orman")):
            run(FoundAssociation(key, ar, en, "01"), SYSTEM)
        core.clock = lambda: datetime.now(UTC) - timedelta(hours=2)
        ticket = run(OpenTicket("hotline", "urgent_need", "01", "A family has no food"), SYSTEM)
        run(Triage(UUID(str(ticket)), "urgent"), SYSTEM)
        core.clock = lambda: datetime.now(UTC)
        agent = mobile()
        run(CreateUser(agent, "Agent", PASSWORD, [Grant(Role.OPERATIONS_AGENT)]), SYSTEM)
        services.runner.catch_up()
    return {"ticket": str(ticket), "agent": agent}


def test_an_agent_assigns_by_name_and_the_page_fits(
    sqlite_settings: Settings, chromium: str
) -> None:
    world = a_late_ticket(sqlite_settings)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        url = f"{base}/operations/tickets/{world['ticket']}"
        for locale, width in (("ar-EG", 360), ("en-GB", 1366), ("ar-EG", 1366), ("en-GB", 360)):
            page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
            signed_in_to(page, base, world["agent"], url)
            assert page.locator("[data-deadline=response] strong.overdue").count() == 1
            assert_fits(page)
            name = f"ticket-{locale[:2]}-{width}"
            shutil.copy(screenshot(page, "operations-room", name), SHOTS / f"{name}.png")
            page.close()
        page = browser.new_page(viewport={"width": 360, "height": 800}, locale="ar-EG")
        signed_in_to(page, base, world["agent"], url)
        page.fill("input[name=q]", "رسالة")
        expect(page.locator("#assignee-choice option")).to_have_count(1)
        page.click("#assignee-choice button")
        page.wait_for_selector("li[data-kind=assigned]")
        assert "جمعية رسالة" in page.inner_text("li[data-kind=assigned]")
        assert_fits(page)
        shutil.copy(
            screenshot(page, "operations-room", "assigned-ar-360"), SHOTS / "assigned-ar-360.png"
        )
        browser.close()
