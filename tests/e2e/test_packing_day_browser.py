"""A packing day played through the pages only, in Arabic on a 360 px phone: the admin opens
a stadium and a point, plans a shift and makes a site manager; a volunteer signs up on their
phone; the manager's desk checks them in by their number; the console places them as a line's
lead; the lead logs boxes and takes a batch back; a truck leaves for the point; the board
shows the boxes. Each person sees what they need, in Arabic, with Arabic digits."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser, RegisterVolunteer
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_desk_browser import signed_in_to
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, certified, mobile, national_id
from tests.processes import server
from web.platform.settings import Settings


def people(settings: Settings) -> dict[str, str]:
    """Who comes to work: the admin, a staff member with no role yet, a trained volunteer."""
    phones = {"admin": mobile(), "manager": mobile(), "volunteer": mobile()}
    for services in started(settings):
        run = services.dispatcher.run
        run(CreateUser(phones["admin"], "Admin", PASSWORD, [Grant(Role.NATIONAL_ADMIN)]), SYSTEM)
        run(CreateUser(phones["manager"], "سامي المدير", PASSWORD), SYSTEM)
        volunteer = run(
            RegisterVolunteer("منى حسن", phones["volunteer"], national_id(), "01", PASSWORD)
        )
        certified(run, UUID(str(volunteer)))
    return phones


def shift_hours() -> tuple[str, str]:
    """Under way now in Cairo: begun an hour ago (or at midnight), ending in four hours."""
    now = datetime.now(CAMPAIGN_TIMEZONE)
    starts = max(now - timedelta(hours=1), now.replace(hour=0, minute=0))
    return starts.strftime("%H:%M"), (now + timedelta(hours=4)).strftime("%H:%M")


def opened(page: Any, base: str, kind: str, name_ar: str, name_en: str) -> str:
    """A site opened from the admin's sites page; its id as the page it lands on shows it."""
    page.goto(f"{base}/admin/sites")
    page.select_option("#kind", kind)
    page.select_option("#governorate", "01")
    page.fill("#name_ar", name_ar)
    page.fill("#name_en", name_en)
    page.click("#new-site ~ form button[type=submit]")
    page.wait_for_url(f"{base}/admin/sites/*")
    expect(page.locator("h1")).to_have_text(name_ar)
    expect(page.locator(".notice, [role=status]").first).to_contain_text("تم فتح الموقع")
    return str(page.url.rsplit("/", 1)[1])


def in_panel(page: Any, panel: str, form: str, **fields: str) -> None:
    """Fills an htmx form of the panel by its fields' names (a list by the option a person
    reads) and waits for the new panel."""
    scope = page.locator(f"{panel} form[action$='{form}']")
    for name, value in fields.items():
        field = scope.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    with page.expect_response(lambda r: r.url.endswith(form) and r.request.method == "POST"):
        scope.locator("button[type=submit]").click()


def test_a_packing_day_from_the_pages_in_arabic_on_a_phone(
    sqlite_settings: Settings, chromium: str
) -> None:
    phones = people(sqlite_settings)
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        admin, manager, lead = (
            browser.new_context(viewport={"width": 360, "height": 800}, locale="ar-EG").new_page()
            for _ in range(3)
        )

        # the admin opens the stadium and a point, plans a shift and names the site's manager
        signed_in_to(admin, base, phones["admin"], f"{base}/admin/sites")
        site = opened(admin, base, "packing", "استاد الرحلة", "Journey Stadium")
        opened(admin, base, "distribution_point", "نقطة الرحلة", "Journey Point")
        admin.goto(f"{base}/sites/{site}/shifts")
        starts, ends = shift_hours()
        admin.select_option("#one-role", "packer")
        admin.fill("#one-start", starts)
        admin.fill("#one-end", ends)
        admin.fill("#one-places", "5")
        admin.click("form:has(#one-places) button[type=submit]")
        card = admin.locator("[data-shift]")
        expect(card).to_contain_text("تعبئة")
        expect(card).to_contain_text("٠ من ٥")
        shift = str(card.get_attribute("data-shift"))
        admin.goto(f"{base}/admin/accounts")
        admin.click("text=سامي المدير")
        admin.select_option("#role", "site_manager")
        admin.fill("#q", "استاد")
        expect(admin.locator("#scope option")).to_have_count(1)
        expect(admin.locator("#scope option")).to_have_text("استاد الرحلة")
        admin.click("#grant-choice button[type=submit]")
        expect(admin.locator("main")).to_contain_text("تم منح الدور")
        expect(admin.locator(".shift-card")).to_contain_text("مدير موقع · استاد الرحلة")

        # the manager sets the day's target and adds a line from the console
        console = f"{base}/packing/{site}/console"
        signed_in_to(manager, base, phones["manager"], console)
        manager.wait_for_function("() => window.htmx !== undefined")
        in_panel(manager, "#console-panel", "/settings", daily_box_target="1000")
        in_panel(
            manager,
            "#console-panel",
            "/lines",
            name="خط ١",
            zone="المدرج الشمالي",
            hourly_target="400",
        )
        expect(manager.locator("#console-panel a[href*='/lines/']")).to_contain_text("خط ١")

        # a volunteer signs up on their phone
        signed_in_to(lead, base, phones["volunteer"], f"{base}/shifts?site={site}")
        lead.wait_for_function("() => window.htmx !== undefined")
        mine = lead.locator(f"#shift-{shift}")
        expect(lead.locator("main")).to_contain_text("استاد الرحلة")
        expect(mine).to_contain_text("٥ أماكن متاحة من ٥")
        mine.locator("button", has_text="سجلني").click()
        expect(mine.locator("button", has_text="انسحاب")).to_be_visible()
        lead.goto(f"{base}/my-shifts")
        expect(lead.locator(".badge svg")).to_be_visible()

        # the desk (the manager's phone) checks them in by their number
        manager.goto(f"{base}/packing/{site}/desk")
        manager.wait_for_function("() => window.htmx !== undefined")
        manager.fill("#desk-who", phones["volunteer"])
        manager.press("#desk-who", "Enter")
        expect(manager.locator("[data-answer=ok]")).to_contain_text("منى حسن")
        expect(manager.locator(f"[data-count='{shift}']")).to_contain_text("١/٥")

        # the console places them as the lead of the line
        manager.goto(console)
        manager.wait_for_function("() => window.htmx !== undefined")
        expect(manager.locator("[name=shift_id] option:checked")).to_contain_text("تعبئة")
        in_panel(
            manager,
            "#console-panel",
            "/places",
            who=phones["volunteer"],
            line_id="خط ١",
            position="قائد خط",
        )
        places = manager.locator("[data-places]")
        expect(places).to_contain_text("منى حسن")
        expect(places).to_contain_text("قائد خط")

        # the lead opens their line from their shifts, logs two batches and takes one back
        lead.goto(f"{base}/my-shifts")
        expect(lead.locator("[data-place]")).to_contain_text("قائد خط")
        lead.click("[data-place] a")
        lead.wait_for_function("() => window.htmx !== undefined")
        expect(lead.locator("h1")).to_contain_text("خط ١")
        for size in ("٥٠", "٢٥"):
            lead.click(f".taps button:text-is('{size}')")
            expect(lead.locator(".notice.success")).to_have_text("تم التسجيل.")
        expect(lead.locator("[data-total=line]")).to_have_text("٧٥")
        batches = lead.locator("#line-panel tr[data-batch]")
        expect(batches).to_have_count(2)
        twenty_five = batches.filter(has=lead.locator("td:nth-child(2):text-is('٢٥')"))
        twenty_five.locator("summary").click()
        twenty_five.locator("[name=reason]").fill("عُدّت مرتين")
        twenty_five.locator("button[type=submit]").click()
        expect(lead.locator(".notice.success")).to_contain_text("تم التصحيح")
        expect(lead.locator("[data-total=line]")).to_have_text("٥٠")
        corrected = lead.locator("#line-panel tr.reversed")
        expect(corrected).to_contain_text("صُحِّحت: عُدّت مرتين")
        expect(corrected.locator("s")).to_have_text("٢٥")
        assert_fits(lead)
        screenshot(lead, "line-lead", "ar-360")

        # a truck leaves for the point with thirty boxes
        manager.goto(console)
        manager.wait_for_function("() => window.htmx !== undefined")
        expect(manager.locator("[data-total=on_hand]")).to_have_text("٥٠")
        in_panel(
            manager,
            "#console-panel",
            "/dispatches",
            point_id="القاهرة · نقطة الرحلة",
            count="30",
            label="ق ع ١٢٣",
        )
        truck = manager.locator("[data-trucks] tr[data-truck]")
        expect(truck).to_contain_text("نقطة الرحلة")
        expect(truck).to_contain_text("في الطريق")
        expect(manager.locator("[data-total=on_hand]")).to_have_text("٢٠")

        # the board shows the day: fifty packed of a thousand, twenty on hand, one truck out
        manager.goto(f"{base}/packing/{site}")
        expect(manager.locator("[data-total=packed]")).to_have_text("٥٠")
        expect(manager.locator("[data-total=on_hand]")).to_have_text("٢٠")
        expect(manager.locator("[data-total=trucks]")).to_have_text("١")
        expect(manager.locator("#board-panel")).to_contain_text("١٬٠٠٠")
        expect(manager.locator("#board-panel tr:has-text('خط ١') [data-line-total]")).to_have_text(
            "٥٠"
        )

        # the lead's page as a desk shows it in English
        lead.set_viewport_size({"width": 1366, "height": 800})
        lead.goto(f"{base}/language/en?next={lead.url.removeprefix(base)}")
        expect(lead.locator("#batches")).to_have_text("This line's batches today")
        assert_fits(lead)
        screenshot(lead, "line-lead", "en-1366")
        browser.close()
