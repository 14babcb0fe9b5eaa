"""A packing day played from nothing, through the pages only, on a 360 px phone, in Arabic
and in English. Only the national admin's own first account exists before the server starts
(as ``katf seed-demo`` or ``katf create-user`` would make it); everything else is done on the
pages, each step by the person whose work it is:

the admin opens a stadium, a distribution point and a kitchen, plans the stadium's shift,
opens a campaign round, invites a site manager, a kitchen lead and an operations agent (each
sets a password with the code handed over) and grants their roles by searching the places'
names; the manager sets the day's target, adds a line and enrols a desk with a code from the
site's desks page; a volunteer registers, is trained as a line lead (the admin schedules the
session and records attendance) and signs up; the desk checks them in; the manager places
them as the line's lead; the lead logs batches and corrects one; a truck leaves and the point
receives it; the kitchen logs and serves meals; the agent opens, triages, assigns (by the
point's name) and resolves a ticket; the boards show all of it. Numbers are checked as the
page writes them: Arabic-Indic digits in Arabic."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.governorates import GOVERNORATES
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_desk_browser import signed_in_to
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import server
from web.platform.i18n import gettext_for, ngettext_for, number, separator
from web.platform.settings import Settings

CAIRO = next(g for g in GOVERNORATES if g.code == "01")
# What the people type, in the language they work in
TYPED = {
    "ar": {
        "manager": "سامي المدير",
        "cook": "هدى الطاهية",
        "agent": "كريم العمليات",
        "volunteer": "منى حسن",
        "line": "خط ١",
        "zone": "المدرج الشمالي",
        "desk": "البوابة ٣",
        "truck": "ق ع ١٢٣",
        "reason": "عُدّت مرتين",
        "dish": "أرز بالخضار",
        "ticket": "أسرة في شبرا بلا طعام",
        "outcome": "وصلتهم وجبات من النقطة",
        "training": "قاعة التدريب",
    },
    "en": {
        "manager": "Sami Manager",
        "cook": "Huda Cook",
        "agent": "Karim Operations",
        "volunteer": "Mona Hassan",
        "line": "Line 1",
        "zone": "North stand",
        "desk": "Gate 3",
        "truck": "QA 123",
        "reason": "counted twice",
        "dish": "Rice with vegetables",
        "ticket": "A family in Shubra has no food",
        "outcome": "Meals reached them from the point",
        "training": "Training hall",
    },
}
SITES = {  # (kind, the name in Arabic, the name in English): both are typed on the form
    "stadium": ("packing", "استاد الرحلة", "Journey Stadium"),
    "point": ("distribution_point", "نقطة الرحلة", "Journey Point"),
    "kitchen": ("kitchen", "مطبخ الرحلة", "Journey Kitchen"),
}
KIND_NAMES = {
    "packing": "Packing site",
    "distribution_point": "Distribution point",
    "kitchen": "Kitchen",
}


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    """One browser for both languages' journeys."""
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        yield launched
        launched.close()


def first_admin(settings: Settings) -> str:
    """The national admin's own account, as ``katf create-user`` makes it: all there is."""
    phone = mobile()
    for services in started(settings):
        grant = [Grant(Role.NATIONAL_ADMIN)]
        services.dispatcher.run(CreateUser(phone, "Admin", PASSWORD, grant), SYSTEM)
    return phone


def shift_hours(now: datetime) -> tuple[str, str]:
    """Under way now and within the Cairo day whatever the hour: begun an hour ago (or at
    midnight), ending four hours from now (or at 23:59), so the shift never spills into
    tomorrow's board."""
    here = now.astimezone(CAMPAIGN_TIMEZONE)
    midnight = here.replace(hour=0, minute=0, second=0, microsecond=0)
    starts = max(here - timedelta(hours=1), midnight)
    ends = min(here + timedelta(hours=4), midnight.replace(hour=23, minute=59))
    return starts.strftime("%H:%M"), ends.strftime("%H:%M")


def phone_page(browser: Browser, locale: str) -> Any:
    """A new person's phone: its own cookies, 360 px wide, in the language it reads."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale=locale)
    return context.new_page()


def opened(page: Any, base: str, lang: str, site: str) -> str:
    """A site opened from the admin's sites page, its kind and governorate picked by name;
    its id as the page it lands on shows it."""
    kind, name_ar, name_en = SITES[site]
    say = words(lang)
    page.goto(f"{base}/admin/sites")
    page.select_option("#kind", label=say(KIND_NAMES[kind]))
    page.select_option("#governorate", label=CAIRO.name(lang))
    page.fill("#name_ar", name_ar)
    page.fill("#name_en", name_en)
    page.click("form[action='/admin/sites'] button[type=submit]")
    page.wait_for_url(f"{base}/admin/sites/*")
    expect(page.locator("h1")).to_have_text(name_ar if lang == "ar" else name_en)
    expect(page.locator(".notice.success")).to_contain_text(say("The site is open."))
    return str(page.url.rsplit("/", 1)[1])


def invited(page: Any, base: str, name: str, phone: str) -> str:
    """An account invited from the staff page; the one-time code the page shows."""
    page.goto(f"{base}/admin/accounts")
    page.fill("#full_name", name)
    page.fill("#phone", phone)
    page.click("form[action='/admin/accounts'] button[type=submit]")
    return str(page.inner_text("#set-up-code")).strip()


def granted(page: Any, say: Callable[..., str], role: str, place: str | None = None) -> None:
    """From the invitation's page: the role granted, its place found by typing its name."""
    page.click("a[href$='#grant']")
    page.wait_for_function("() => window.htmx !== undefined")
    page.select_option("#role", label=say(role))
    if place is not None:
        page.fill("#q", place)
        expect(page.locator("#scope option")).to_have_count(1)
        expect(page.locator("#scope option")).to_have_text(place)
    else:
        expect(page.locator("#grant-choice")).to_contain_text(say(role))
    page.click("#grant-choice button[type=submit]")
    expect(page.locator(".notice.success")).to_contain_text(say("The role is granted."))


def set_up(page: Any, base: str, phone: str, code: str, home: str) -> None:
    """A staff member sets their password with the code handed over, signs in, lands home."""
    page.goto(f"{base}/sign-in")
    page.click("a[href='/set-password']")
    page.fill("#phone", phone)
    page.fill("#code", code)
    page.fill("#password", PASSWORD)
    page.click("form[action='/set-password'] button[type=submit]")
    page.wait_for_url(f"{base}/sign-in")
    page.fill("#phone", phone)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(home)


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


def words(lang: str) -> Callable[..., str]:
    """The page's own sentences in ``lang``, from its catalogues."""

    def say(message: str, **values: object) -> str:
        return gettext_for(lang, message, **values)

    return say


@pytest.mark.parametrize(("lang", "locale"), [("ar", "ar-EG"), ("en", "en-GB")])
def test_a_packing_day_from_nothing_through_the_pages_on_a_phone(
    sqlite_settings: Settings, browser: Browser, lang: str, locale: str
) -> None:
    say, typed = words(lang), TYPED[lang]

    def n(value: int) -> str:
        return number(value, lang)

    if lang == "ar":  # the page writes Arabic-Indic digits
        assert n(1000) == "١٬٠٠٠" and n(50) == "٥٠"
    name = {site: SITES[site][1 if lang == "ar" else 2] for site in SITES}
    variant = f"{lang}-360"
    phones = {"admin": first_admin(sqlite_settings), "manager": mobile(), "cook": mobile()}
    phones |= {"agent": mobile(), "volunteer": mobile()}
    with server(sqlite_settings) as base:
        admin, manager, cook, agent, lead, desk = (phone_page(browser, locale) for _ in range(6))

        # the admin opens the stadium, the point and the kitchen, and plans the stadium's shift
        signed_in_to(admin, base, phones["admin"], f"{base}/admin/sites")
        site = opened(admin, base, lang, "stadium")
        point = opened(admin, base, lang, "point")
        kitchen = opened(admin, base, lang, "kitchen")
        admin.goto(f"{base}/sites/{site}/shifts")
        starts, ends = shift_hours(datetime.now(CAMPAIGN_TIMEZONE))
        admin.select_option("#one-role", label=say("Packer"))
        admin.fill("#one-start", starts)
        admin.fill("#one-end", ends)
        admin.fill("#one-places", "5")
        admin.click("form:has(#one-places) button[type=submit]")
        card = admin.locator("[data-shift]")
        expect(card).to_contain_text(say("Packer"))
        expect(card).to_contain_text(
            say("%(taken)s of %(capacity)s places taken", taken=0, capacity=5)
        )
        shift = str(card.get_attribute("data-shift"))

        # a campaign round
        admin.goto(f"{base}/admin/rounds")
        admin.fill("#name_ar", "رمضان الرحلة")
        admin.fill("#name_en", "Journey Ramadan")
        admin.fill("#target", "750000")
        admin.click("form[action='/admin/rounds'] button[type=submit]")
        admin.wait_for_url(f"{base}/admin/rounds/*")
        expect(admin.locator(".details")).to_contain_text(n(750_000))

        # the manager, the kitchen lead and the agent invited, each role granted by name
        codes = {
            "manager": invited(admin, base, typed["manager"], phones["manager"]),
        }
        granted(admin, say, "Site manager", name["stadium"])
        codes["cook"] = invited(admin, base, typed["cook"], phones["cook"])
        granted(admin, say, "Kitchen lead", name["kitchen"])
        codes["agent"] = invited(admin, base, typed["agent"], phones["agent"])
        granted(admin, say, "Operations room agent")
        assert_fits(admin)
        screenshot(admin, "packing-day", f"admin-grant-{variant}")

        # the manager sets a password, lands on their site; sets the day and adds a line
        set_up(manager, base, phones["manager"], codes["manager"], f"{base}/packing/{site}")
        console = f"{base}/packing/{site}/console"
        manager.goto(console)
        manager.wait_for_function("() => window.htmx !== undefined")
        in_panel(manager, "#console-panel", "/settings", daily_box_target="1000")
        in_panel(
            manager,
            "#console-panel",
            "/lines",
            name=typed["line"],
            zone=typed["zone"],
            hourly_target="400",
        )
        expect(manager.locator("#console-panel a[href*='/lines/']")).to_contain_text(typed["line"])

        # the manager issues a desk code; the desk's phone opens the desk with it
        manager.goto(f"{base}/packing/{site}/devices")
        manager.fill("#desk-label", typed["desk"])
        manager.locator("[data-issue] button").click()
        expect(manager.locator("[data-card] svg")).to_be_visible()
        secret = manager.inner_text("[data-secret]").strip()
        screenshot(manager, "packing-day", f"desk-card-{variant}")
        desk.goto(f"{base}/desk")
        desk.fill("[name=device_code]", secret)
        desk.click("form[action='/desk'] button[type=submit]")
        desk.wait_for_url(f"{base}/packing/{site}/desk")
        desk.wait_for_function("() => window.htmx !== undefined")

        # a volunteer registers on their phone and enrols in a line lead's training
        lead.goto(f"{base}/register")
        lead.fill("#full_name", typed["volunteer"])
        lead.fill("#phone", phones["volunteer"])
        lead.fill("#national_id", national_id())
        lead.select_option("#governorate", label=CAIRO.name(lang))
        lead.fill("#password", PASSWORD)
        lead.click("form[action='/register'] button[type=submit]")
        lead.wait_for_url(f"{base}/shifts")
        admin.goto(f"{base}/training")
        tomorrow = (datetime.now(CAMPAIGN_TIMEZONE) + timedelta(days=1)).date().isoformat()
        schedule = admin.locator("form[action='/training/sessions']")
        schedule.locator("[name=programme]").select_option(label=say("Line lead"))
        schedule.locator("[name=place]").fill(typed["training"])
        schedule.locator("[name=day]").fill(tomorrow)
        schedule.locator("[name=time]").fill("10:00")
        schedule.locator("[name=capacity]").fill("20")
        schedule.locator("button[type=submit]").click()
        session = admin.locator("[data-session]", has_text=typed["training"])
        expect(session).to_be_visible()
        lead.goto(f"{base}/training")
        card = lead.locator("[data-session]", has_text=typed["training"])
        card.locator("button[type=submit]").click()
        expect(lead.locator("[data-session] .notice.success")).to_be_visible()
        admin.goto(f"{base}/training")
        admin.locator("[data-session]", has_text=typed["training"]).locator("a").click()
        admin.get_by_label(typed["volunteer"]).check()
        admin.click("form[action$='/attendance'] button[type=submit]")
        expect(admin.get_by_label(typed["volunteer"])).to_be_disabled()

        # they sign up for the stadium's shift
        lead.goto(f"{base}/shifts?site={site}")
        lead.wait_for_function("() => window.htmx !== undefined")
        mine = lead.locator(f"#shift-{shift}")
        expect(lead.locator("main")).to_contain_text(name["stadium"])
        free = "%(num)s place free of %(capacity)s", "%(num)s places free of %(capacity)s"
        expect(mine).to_contain_text(ngettext_for(lang, *free, 5, num=5, capacity=5))
        mine.locator("button", has_text=say("Sign up")).click()
        expect(mine.locator("button", has_text=say("Withdraw"))).to_be_visible()

        # the desk checks them in by their number
        desk.fill("#desk-who", phones["volunteer"])
        desk.press("#desk-who", "Enter")
        expect(desk.locator("[data-answer=ok]")).to_contain_text(typed["volunteer"])
        expect(desk.locator(f"[data-count='{shift}']")).to_contain_text(f"{n(1)}/{n(5)}")
        assert_fits(desk)
        screenshot(desk, "packing-day", f"desk-{variant}")

        # the manager places them as the line's lead
        manager.goto(console)
        manager.wait_for_function("() => window.htmx !== undefined")
        expect(manager.locator("[name=shift_id] option:checked")).to_contain_text(say("Packer"))
        in_panel(
            manager,
            "#console-panel",
            "/places",
            who=phones["volunteer"],
            line_id=typed["line"],
            position=say("Line lead"),
        )
        places = manager.locator("[data-places]")
        expect(places).to_contain_text(typed["volunteer"])
        expect(places).to_contain_text(say("Line lead"))

        # the lead opens their line from their shifts, logs two batches and takes one back
        lead.goto(f"{base}/my-shifts")
        expect(lead.locator("[data-place]")).to_contain_text(say("Line lead"))
        lead.click("[data-place] a")
        lead.wait_for_function("() => window.htmx !== undefined")
        expect(lead.locator("h1")).to_contain_text(typed["line"])
        for size in (50, 25):
            lead.click(f".taps button:text-is('{n(size)}')")
            expect(lead.locator(".notice.success")).to_have_text(say("Logged."))
        expect(lead.locator("[data-total=line]")).to_have_text(n(75))
        batches = lead.locator("#line-panel tr[data-batch]")
        expect(batches).to_have_count(2)
        twenty_five = batches.filter(has=lead.locator(f"td:nth-child(2):text-is('{n(25)}')"))
        twenty_five.locator("summary").click()
        twenty_five.locator("[name=reason]").fill(typed["reason"])
        twenty_five.locator("button[type=submit]").click()
        expect(lead.locator(".notice.success")).to_contain_text(
            say("Corrected: these boxes are taken back.")
        )
        expect(lead.locator("[data-total=line]")).to_have_text(n(50))
        corrected = lead.locator("#line-panel tr.reversed")
        expect(corrected).to_contain_text(typed["reason"])
        expect(corrected.locator("s")).to_have_text(n(25))
        assert_fits(lead)
        screenshot(lead, "packing-day", f"line-lead-{variant}")

        # a truck leaves for the point with thirty boxes; the point receives it
        manager.goto(console)
        manager.wait_for_function("() => window.htmx !== undefined")
        expect(manager.locator("[data-total=on_hand]")).to_have_text(n(50))
        in_panel(
            manager,
            "#console-panel",
            "/dispatches",
            point_id=f"{CAIRO.name(lang)}{separator(lang)}{name['point']}",
            count="30",
            label=typed["truck"],
        )
        truck = manager.locator("[data-trucks] tr[data-truck]")
        expect(truck).to_contain_text(name["point"])
        expect(truck).to_contain_text(say("On its way"))
        expect(manager.locator("[data-total=on_hand]")).to_have_text(n(20))
        admin.goto(f"{base}/points/{point}")
        admin.wait_for_function("() => window.htmx !== undefined")
        arrived = admin.locator("#point-panel li", has_text=typed["truck"])
        expect(arrived.locator("[name=received]")).to_have_value(n(30))  # in the page's digits
        arrived.locator("button[type=submit]").click()
        expect(arrived).to_contain_text(f"{say('Received')}: {n(30)}")
        expect(admin.locator("[data-on-hand=food_box]")).to_have_text(n(30))
        assert_fits(admin)
        screenshot(admin, "packing-day", f"point-{variant}")

        # the kitchen lead logs two hundred meals and serves a hundred and fifty
        set_up(cook, base, phones["cook"], codes["cook"], f"{base}/kitchens/{kitchen}")
        cook.wait_for_function("() => window.htmx !== undefined")
        in_panel(cook, "#kitchen-panel", "/batches", dish=typed["dish"], count="200")
        meals = cook.locator("#kitchen-panel tr", has_text=typed["dish"])
        expect(meals).to_be_visible()
        serve = meals.locator("form[action$='/served']")
        serve.locator("[name=count]").fill("150")
        with cook.expect_response(lambda r: r.url.endswith("/served")):
            serve.locator("button[type=submit]").click()
        expect(cook.locator("[data-total=cooked]")).to_have_text(n(200))
        expect(cook.locator("[data-total=served]")).to_have_text(n(150))
        assert_fits(cook)
        screenshot(cook, "packing-day", f"kitchen-{variant}")

        # the agent opens a ticket, triages it, assigns it to the point by name, resolves it
        set_up(agent, base, phones["agent"], codes["agent"], f"{base}/operations")
        agent.select_option("#t-governorate", label=CAIRO.name(lang))
        agent.fill("#description", typed["ticket"])
        agent.click("form[action='/operations/tickets'] button[type=submit]")
        agent.wait_for_url(f"{base}/operations/tickets/*")
        agent.wait_for_function("() => window.htmx !== undefined")
        agent.click("[data-action=triage] button[type=submit]")
        expect(agent.locator("li[data-kind=triaged]")).to_be_visible()
        agent.select_option("select[name=kind]", label=say("Site"))
        agent.fill("input[name=q]", name["point"])
        expect(agent.locator("#assignee-choice option")).to_have_count(1)
        expect(agent.locator("#assignee-choice option")).to_contain_text(name["point"])
        agent.click("#assignee-choice button")
        expect(agent.locator("li[data-kind=assigned]")).to_contain_text(name["point"])
        agent.fill("[data-action=resolve] [name=text]", typed["outcome"])
        agent.click("[data-action=resolve] button[type=submit]")
        expect(agent.locator("li[data-kind=resolved]")).to_contain_text(typed["outcome"])
        assert_fits(agent)
        screenshot(agent, "packing-day", f"ticket-{variant}")

        # the boards show the day: the stadium's boxes and truck, the point's and the
        # kitchen's numbers in the governorate, the round's target, the ticket resolved
        manager.goto(f"{base}/packing/{site}")
        expect(manager.locator("[data-total=packed]")).to_have_text(n(50))
        expect(manager.locator("[data-total=on_hand]")).to_have_text(n(20))
        expect(manager.locator("[data-total=trucks]")).to_have_text(n(1))
        expect(manager.locator("#board-panel")).to_contain_text(n(1000))
        row = manager.locator(f"#board-panel tr:has-text('{typed['line']}') [data-line-total]")
        expect(row).to_have_text(n(50))
        assert_fits(manager)
        screenshot(manager, "packing-day", f"board-{variant}")
        admin.goto(f"{base}/governorates/01")
        governorate = admin.locator("main")
        expect(governorate.locator("tr", has_text=name["point"])).to_contain_text(n(30))
        expect(governorate.locator("dd", has_text=n(150))).to_have_count(1)
        admin.goto(f"{base}/governorates")
        expect(admin.locator("main")).to_contain_text(n(750_000))
        expect(admin.locator(f"tr:has-text('{CAIRO.name(lang)}')").first).to_contain_text(n(50))
        agent.goto(f"{base}/operations?status=resolved")
        expect(agent.locator("#queue-panel tbody tr")).to_have_count(1)
        expect(agent.locator("#queue-panel tbody tr")).to_contain_text(say("Resolved"))
        for person in (admin, manager, cook, agent, lead, desk):
            person.context.close()  # its live connections closed, the server stops at once
