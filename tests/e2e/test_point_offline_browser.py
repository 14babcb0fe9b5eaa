"""A distribution point's page with the network switched off and on, in a real browser: what
is handed over offline is kept on the device across a reload, sent when the connection
returns, and recorded once; a household served offline at two points gets one share, and the
second point is told why, with what to do."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.distribution.commands import OpenRound, RegisterHousehold
from coordination.areas.packing.commands import AddLine, ConfirmTruckload, DispatchTruck, LogBoxes
from coordination.areas.packing.lookups import on_hand
from coordination.areas.sites.commands import OpenSite
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.layout import screenshot
from tests.e2e.test_desk_browser import signed_in_to
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server
from web.bootstrap import Services
from web.platform.settings import Settings

BOXES = 250
SYNCED = 30_000  # ms: a sync on a loaded machine; no timing is asserted
QUEUE = """async () => {
  const db = await new Promise((ok) => {
    const r = indexedDB.open('katf-offline'); r.onsuccess = () => ok(r.result);
  });
  return await new Promise((ok) => {
    const r = db.transaction('queue').objectStore('queue').getAll();
    r.onsuccess = () => ok(r.result);
  });
}"""


def two_points(services: Services, families: int) -> dict[str, Any]:
    """Two stocked points in Giza, an open round, registered households, a manager each."""
    stadium = services.dispatcher.run(
        OpenSite("stadium", "packing", "01", "الاستاد", "Stadium"), SYSTEM
    )
    line = services.dispatcher.run(AddLine(stadium, "Line 1", "North", 1000), SYSTEM)
    services.dispatcher.run(LogBoxes(stadium, line, 2 * BOXES, "packed"), SYSTEM)
    points, phones = [], []
    for n, (ar, en) in enumerate([("نقطة إمبابة", "Imbaba"), ("نقطة الدقي", "Dokki")]):
        point = services.dispatcher.run(
            OpenSite(f"point-{n}", "distribution_point", "21", ar, en), SYSTEM
        )
        truck = services.dispatcher.run(
            DispatchTruck(stadium, point, BOXES, f"truck-{n}"), SYSTEM
        ).truckload_id
        services.dispatcher.run(ConfirmTruckload(truck, BOXES), SYSTEM)
        phone = mobile()
        grant = Grant(Role.SITE_MANAGER, str(point))
        services.dispatcher.run(CreateUser(phone, f"Manager {n}", PASSWORD, [grant]), SYSTEM)
        points.append(str(point))
        phones.append(phone)
    services.dispatcher.run(
        OpenRound("ramadan-1447", "رمضان ١٤٤٧", "Ramadan 1447", 4_000_000), SYSTEM
    )
    ids = [national_id() for _ in range(families)]
    for digits in ids:
        services.dispatcher.run(RegisterHousehold(digits, 5, "", UUID(points[0])), SYSTEM)
    services.runner.catch_up()
    return {"points": points, "phones": phones, "families": ids}


def ready_offline(page: Any) -> None:
    """The service worker controls the page and the shell and its files are cached, and the
    page is done keeping them (a reload during that found no shell to open offline)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("async () => Boolean(await caches.match('/offline/point-shell'))")


def hand_over(page: Any, digits: str) -> None:
    page.fill("form[data-hand-off] [name=national_id]", digits)
    page.press("form[data-hand-off] [name=national_id]", "Enter")


def waiting(page: Any) -> int:
    return int(page.get_attribute("[data-queue-waiting]", "data-count"))


def test_two_hundred_hand_offs_kept_offline_across_a_reload_are_recorded_once(
    sqlite_settings: Settings, chromium: str
) -> None:
    for services in started(sqlite_settings):
        world = two_points(services, families=200)
    point = world["points"][0]
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ar-EG")
        page = context.new_page()
        signed_in_to(page, base, world["phones"][0], f"{base}/points/{point}")
        ready_offline(page)
        context.set_offline(True)
        for n, digits in enumerate(world["families"][:100], start=1):
            hand_over(page, digits)
            page.wait_for_function(
                f"() => document.querySelector('[data-queue-waiting]').dataset.count === '{n}'"
            )
        page.reload()
        expect(page.locator("[data-shell]")).to_be_visible()
        page.wait_for_function(
            "() => document.querySelector('[data-queue-waiting]').dataset.count === '100'"
        )
        for n, digits in enumerate(world["families"][100:], start=101):
            hand_over(page, digits)
            page.wait_for_function(
                f"() => document.querySelector('[data-queue-waiting]').dataset.count === '{n}'"
            )
        screenshot(page, "offline", "point-shell-ar-360")
        context.set_offline(False)
        page.wait_for_function(
            "() => document.querySelector('[data-queue-waiting]').dataset.count === '0'"
        )
        fates = page.locator("[data-fate]")
        expect(fates.first).to_have_attribute("data-fate", "recorded")
        assert page.locator("[data-fate=recorded]").count() == 10  # the last ten shown
        kept = page.evaluate(QUEUE)
        screenshot(page, "offline", "point-synced-ar-360")
        browser.close()
    assert len(kept) == 200 and {e["status"] for e in kept} == {"recorded"}
    assert all(e["national_id"] == "" for e in kept)  # cleared once synced
    for services in started(sqlite_settings):
        assert on_hand(services.app, UUID(point)) == BOXES - 200


def device(browser: Any, base: str, phone: str, point: str, locale: str, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    signed_in_to(page, base, phone, f"{base}/points/{point}")
    ready_offline(page)
    return context, page


def test_a_household_served_offline_at_two_points_gets_one_share_and_a_clear_refusal(
    sqlite_settings: Settings, chromium: str
) -> None:
    for services in started(sqlite_settings):
        world = two_points(services, families=1)
    family = world["families"][0]
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        first, imbaba = device(browser, base, world["phones"][0], world["points"][0], "ar-EG", 360)
        second, dokki = device(browser, base, world["phones"][1], world["points"][1], "en-GB", 1366)
        for context, page in ((first, imbaba), (second, dokki)):
            context.set_offline(True)
            hand_over(page, family)
            page.wait_for_function(
                "() => document.querySelector('[data-queue-waiting]').dataset.count === '1'"
            )
        hand_over(imbaba, family)  # the same household again at the same point
        expect(imbaba.locator("[data-local-answer]")).to_contain_text("استلمت هذه الأسرة حصتها")
        assert waiting(imbaba) == 1
        first.set_offline(False)
        expect(imbaba.locator("[data-fate=recorded]")).to_have_count(1, timeout=SYNCED)
        second.set_offline(False)
        refusal = dokki.locator("[data-fate=refused]")
        expect(refusal).to_contain_text("already received its share", timeout=SYNCED)
        expect(refusal).to_contain_text("do not hand over again", timeout=SYNCED)
        expect(dokki.locator("[data-tally=refused]")).to_have_text("1", timeout=SYNCED)
        dokki_boxes = dokki.locator("[data-on-hand=food_box]")
        expect(dokki_boxes).to_have_text("250", timeout=SYNCED)  # the refused box is not counted
        screenshot(imbaba, "offline", "point-recorded-ar-360")
        screenshot(dokki, "offline", "point-refused-en-1366")
        browser.close()
    for services in started(sqlite_settings):
        taken = [on_hand(services.app, UUID(p)) for p in world["points"]]
    assert taken == [BOXES - 1, BOXES]


def test_a_revoked_device_forgets_its_queue_and_its_cache(
    sqlite_settings: Settings, chromium: str
) -> None:
    for services in started(sqlite_settings):
        world = two_points(services, families=3)
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        context, page = device(browser, base, world["phones"][0], world["points"][0], "en-GB", 1366)
        context.set_offline(True)
        for digits in world["families"]:
            hand_over(page, digits)
        page.wait_for_function(
            "() => document.querySelector('[data-queue-waiting]').dataset.count === '3'"
        )
        assert {e["national_id"] for e in page.evaluate(QUEUE)} == set(world["families"])
        context.clear_cookies()  # the device's session is gone: its sync is answered 401
        context.set_offline(False)
        page.click("[data-queue-sync]")  # as the person would, rather than wait for a retry
        page.wait_for_function(
            "() => document.querySelector('[data-queue-waiting]').dataset.count === '0'"
        )
        assert page.evaluate(QUEUE) == []
        assert page.evaluate("async () => (await caches.keys()).length") == 0
        assert (
            page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).length")
            == 0
        )
        browser.close()
    for services in started(sqlite_settings):
        assert on_hand(services.app, UUID(world["points"][0])) == BOXES


FIRST_LOAD = """() => [
  performance.getEntriesByType('navigation')[0],
  ...performance.getEntriesByType('resource')
    .filter((r) => !['fetch', 'xmlhttprequest'].includes(r.initiatorType)),
].reduce((sum, r) => sum + r.encodedBodySize, 0)"""  # compressed, whether cached or not


def test_the_point_shell_is_small_and_signing_out_forgets_the_device(
    sqlite_settings: Settings, chromium: str
) -> None:
    for services in started(sqlite_settings):
        world = two_points(services, families=1)
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        context, page = device(browser, base, world["phones"][0], world["points"][0], "en-GB", 1366)
        first_load = page.evaluate(FIRST_LOAD)
        assert 0 < first_load < 60_000, first_load
        print("first load of the point page, compressed:", first_load)
        ready_offline(page)
        context.set_offline(True)
        page.reload()
        expect(page.locator("[data-point-name]")).to_have_text("Imbaba", timeout=SYNCED)
        hand_over(page, world["families"][0])
        page.wait_for_function(
            "() => document.querySelector('[data-queue-waiting]').dataset.count === '1'"
        )
        expect(page.locator("[data-on-hand=food_box]")).to_have_text("249", timeout=SYNCED)
        screenshot(page, "offline", "point-shell-en-1366")
        asked: list[str] = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        page.click("form[action='/sign-out'] button")  # a hand-over waits: asked, and kept
        page.wait_for_timeout(500)
        assert asked and "lose" in asked[0] and len(page.evaluate(QUEUE)) == 1
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_event("requestfailed"):  # offline: the device forgets before leaving
            page.click("form[action='/sign-out'] button")
        context.set_offline(False)
        page.goto(f"{base}/sign-in")
        assert page.evaluate(QUEUE) == []
        assert page.evaluate("async () => (await caches.keys()).length") == 0
        browser.close()
