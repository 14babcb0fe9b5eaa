"""The stadium board, the kitchens' dashboard and the wall display in a real browser: the
time axis spans the day's own slots (read from the drawn chart), legends in the page's
language, an empty chart that says so, and a wall display whose numbers fit their tiles."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from playwright.sync_api import sync_playwright

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.packing.commands import ConfigurePacking, LogBoxes
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.layout import (
    assert_fits,
    horizontal_overflow,
    line_count,
    overflowing,
    screenshot,
)
from tests.e2e.stadium import stadium
from tests.e2e.test_desk_browser import signed_in_to
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile
from tests.processes import server
from web.platform.settings import Settings

QUARTER = 15 * 60


def slot_of(moment: datetime) -> float:
    """The start of the quarter hour a moment falls in, in seconds (as the chart's x)."""
    start = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
    return start.timestamp()


def earlier_today(now: datetime, minutes: int) -> datetime:
    """``minutes`` before ``now``, or the start of the day in Cairo if that is later: the board
    shows the campaign's day, which begins at midnight in Cairo (22:00 UTC in winter)."""
    here = now.astimezone(CAMPAIGN_TIMEZONE)
    midnight = here.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    return max(now - timedelta(minutes=minutes), midnight)


def packed_day(settings: Settings, boxes: list[tuple[datetime, int]]) -> dict[str, Any]:
    """The stadium with boxes logged at the given moments; a national admin to look."""
    for services in started(settings):
        world = stadium(services)
        site = UUID(world["site"])
        services.dispatcher.run(ConfigurePacking(site, 400_000, {"rice (kg)": 2}), SYSTEM)
        for n, (at, count) in enumerate(boxes):
            line = UUID(world["lines"][n % len(world["lines"])])
            services.dispatcher.run(LogBoxes(site, line, count, f"b-{n}", at=at), SYSTEM)
        world["admin"] = mobile()
        services.dispatcher.run(
            CreateUser(world["admin"], "Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM
        )
        services.runner.catch_up()
    return world


def drawn(page: Any, selector: str) -> dict[str, Any]:
    page.wait_for_selector(f"{selector}[data-state=drawn][data-ticks]")
    node = page.locator(selector).first
    return {
        "range": json.loads(node.get_attribute("data-x-range")),
        "ticks": json.loads(node.get_attribute("data-ticks")),
        "legend": page.inner_text(f"{selector} .u-legend"),
        "labels": json.loads(node.get_attribute("data-tick-labels")),
        "gap": int(node.get_attribute("data-tick-gap")),
        "label": int(node.get_attribute("data-label-width")),
    }


@pytest.mark.parametrize(("locale", "width"), [("ar-EG", 360), ("en-GB", 1366)])
def test_the_board_chart_spans_the_days_own_slots(
    sqlite_settings: Settings, chromium: str, locale: str, width: int
) -> None:
    now = datetime.now(UTC)
    earlier = earlier_today(now, 50)
    world = packed_day(sqlite_settings, [(earlier, 120), (now, 80)])
    first = slot_of(earlier)
    last = slot_of(now)
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
        board = f"{base}/packing/{world['site']}"
        signed_in_to(page, base, world["manager"], board)
        chart = drawn(page, ".chart")
        assert chart["range"] == [first - QUARTER, last + QUARTER]
        assert chart["ticks"], "the time axis shows ticks"
        assert all(first - QUARTER <= tick <= last + QUARTER for tick in chart["ticks"])
        assert chart["gap"] >= chart["label"], "tick labels never run into each other"
        indic = re.compile("[٠-٩]")
        page_style = bool(indic.search(page.inner_text("[data-total=packed]")))
        assert {bool(indic.search(label)) for label in chart["labels"]} == {page_style}
        if locale.startswith("ar"):
            assert "الوقت" in chart["legend"] and "Time" not in chart["legend"]
            assert "الكراتين" in chart["legend"]
        else:
            assert "Time" in chart["legend"] and "Boxes per 15 minutes" in chart["legend"]
        inside = page.evaluate(
            """() => { const c = document.querySelector('.chart');
                       const r = c.getBoundingClientRect();
                       return [...c.querySelectorAll('canvas, .u-legend')].every(e => {
                         const b = e.getBoundingClientRect();
                         return b.left >= r.left - 1 && b.right <= r.right + 1; }); }"""
        )
        assert inside, "the chart and its legend stay inside their box"
        assert_fits(page)
        screenshot(page, "boards", f"board-{locale[:2]}-{width}")
        browser.close()


def test_a_lone_slot_keeps_the_axis_to_its_own_half_hour(
    sqlite_settings: Settings, chromium: str
) -> None:
    now = datetime.now(UTC)
    world = packed_day(sqlite_settings, [(now, 48)])
    slot = slot_of(now)
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ar-EG")
        signed_in_to(page, base, world["manager"], f"{base}/packing/{world['site']}")
        chart = drawn(page, ".chart")
        assert chart["range"] == [slot - QUARTER, slot + QUARTER]
        assert all(slot - QUARTER <= tick <= slot + QUARTER for tick in chart["ticks"])
        browser.close()


@pytest.mark.parametrize("locale", ["ar-EG", "en-GB"])
def test_an_empty_kitchens_chart_says_so(
    sqlite_settings: Settings, chromium: str, locale: str
) -> None:
    world = packed_day(sqlite_settings, [])
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 360, "height": 740}, locale=locale)
        signed_in_to(page, base, world["admin"], f"{base}/kitchens/national")
        page.wait_for_selector(".chart[data-state=empty]")
        said = page.inner_text(".chart .chart-empty")
        assert ("لم تُسجَّل" in said) if locale.startswith("ar") else ("No meals" in said)
        assert_fits(page)
        screenshot(page, "boards", f"kitchens-empty-{locale[:2]}-360")
        browser.close()


@pytest.mark.parametrize("locale", ["ar-EG", "en-GB"])
def test_the_wall_display_fits_its_numbers_at_1920_and_1366(
    sqlite_settings: Settings, chromium: str, locale: str
) -> None:
    now = datetime.now(UTC)
    world = packed_day(sqlite_settings, [(earlier_today(now, 20), 30_000), (now, 30_000)])
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale=locale)
        tv = f"{base}/packing/{world['site']}/tv"
        signed_in_to(page, base, world["manager"], tv)
        assert page.query_selector(".site-header, nav") is None
        assert page.inner_text("[data-total=packed]").replace(",", "").replace("٬", "") in (
            "60000",
            "٦٠٠٠٠",
        )
        page.wait_for_selector("[data-total=finish] time")
        panels = page.locator(".tv-panel").count()
        assert panels >= 4  # totals, chart, lines, zones (and shifts short of hands)
        for width, height in ((1920, 1080), (1366, 768)):
            page.set_viewport_size({"width": width, "height": height})
            for index in range(panels):
                page.evaluate(
                    """(index) => { document.querySelectorAll('.tv-panel')
                         .forEach((p, i) => { p.hidden = i !== index; });
                       window.katfCharts.drawAll(document); }""",
                    index,
                )
                assert horizontal_overflow(page) <= 0
                assert page.evaluate("document.documentElement.scrollHeight") <= height
                assert overflowing(page, ".tv-panel:not([hidden])") == []
                assert overflowing(page, ".tv-tile dd, .tv-tile dt", ".tv-tile") == []
                assert overflowing(page, ".tv-table", ".tv-panel") == []
                name = page.get_attribute(".tv-panel:not([hidden])", "data-panel")
                screenshot(page, "tv", f"{locale[:2]}-{width}-{index}-{name}")
            page.evaluate(
                "() => document.querySelectorAll('.tv-panel').forEach((p, i) => p.hidden = i > 0)"
            )
            assert line_count(page, "[data-total=finish] time") == 1
            assert line_count(page, "[data-clock]") == 1
            assert line_count(page, "[data-total=packed]") == 1
        browser.close()
