"""Campaign administration in a real browser, from pages only: the national admin opens a
site, founds an association, opens a round, invites a site manager and grants the role by
searching the site's name; the manager sets a password with the code and lands on the site.
In Arabic on a desk screen and in English on a phone; nothing drawn over anything else."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from coordination.areas.accounts.commands import CreateUser
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import started
from tests.e2e.layout import assert_fits, screenshot
from tests.e2e.test_live_kitchens import BROWSER_FLAGS
from tests.helpers import PASSWORD, mobile
from tests.processes import server
from web.platform.settings import Settings

SHOTS = Path(os.environ.get("KATF_SHOTS", "/tmp/shots/admin"))
MANAGER_PASSWORD = "sunrise-lantern-51"


def shot(page: Any, name: str, variant: str) -> None:
    """Kept for a reviewer: test-artifacts/admin/ and the screenshots folder."""
    screenshot(page, "admin", f"{name}-{variant}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{variant}.png"), full_page=True)


def sign_in(page: Any, base: str, phone: str, password: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#phone", phone)
    page.fill("#password", password)
    page.press("#password", "Enter")


@pytest.mark.parametrize(("locale", "width"), [("ar-EG", 1366), ("en-GB", 360)])
def test_an_admin_sets_up_a_site_and_its_manager_in_the_browser(
    sqlite_settings: Settings, chromium: str, locale: str, width: int
) -> None:
    admin_phone, manager_phone = mobile(), mobile()
    variant = f"{locale[:2]}-{width}"
    for services in started(sqlite_settings):
        grants = [Grant(Role.NATIONAL_ADMIN)]
        services.dispatcher.run(CreateUser(admin_phone, "Nadia Fawzy", PASSWORD, grants), SYSTEM)
    with server(sqlite_settings) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
        sign_in(page, base, admin_phone, PASSWORD)
        page.wait_for_url(f"{base}/admin")
        expect(page.locator("header nav a[href='/admin']")).to_be_visible()

        page.goto(f"{base}/admin/sites")
        page.select_option("#kind", "packing")
        page.select_option("#governorate", "03")
        page.fill("#name_ar", "مركز تعبئة بورسعيد")
        page.fill("#name_en", "Port Said packing centre")
        page.click("form[action='/admin/sites'] button[type=submit]")
        page.wait_for_url(re.compile(r"/admin/sites/[0-9a-f-]{36}$"))
        site_id = page.url.rsplit("/", 1)[-1]
        page.fill("#address", "شارع الجمهورية، بورسعيد")
        page.click(f"form[action='/admin/sites/{site_id}'] button[type=submit]")
        expect(page.locator(".notice.success")).to_be_visible()
        history = page.locator("#history-title + .table-wrap tbody tr")
        expect(history).to_have_count(2)  # opened, then located
        expect(history.first).to_contain_text("شارع الجمهورية")
        assert_fits(page)
        shot(page, "site", variant)

        page.goto(f"{base}/admin/associations")
        page.fill("#name_ar", "جمعية بورسعيد للخير")
        page.fill("#name_en", "Port Said Good Works")
        page.select_option("#governorate", "03")
        page.click("form[action='/admin/associations'] button[type=submit]")
        page.wait_for_url(re.compile(r"/admin/associations/[0-9a-f-]{36}$"))
        assert_fits(page)
        shot(page, "association", variant)

        page.goto(f"{base}/admin/rounds")
        page.fill("#name_ar", "رمضان 1448")
        page.fill("#name_en", "Ramadan 1448")
        page.fill("#target", "750000")
        assert_fits(page)
        shot(page, "rounds", variant)
        page.click("form[action='/admin/rounds'] button[type=submit]")
        page.wait_for_url(re.compile(r"/admin/rounds/[0-9a-f-]{36}$"))
        target = "٧٥٠٬٠٠٠" if locale.startswith("ar") else "750,000"  # the page's digits
        expect(page.locator(".details")).to_contain_text(target)

        page.goto(f"{base}/admin/accounts")
        page.fill("#full_name", "هالة سمير")
        page.fill("#phone", manager_phone)
        page.click("form[action='/admin/accounts'] button[type=submit]")
        code = page.inner_text("#set-up-code").strip()
        assert_fits(page)
        shot(page, "invited", variant)

        page.click("a[href$='#grant']")
        page.wait_for_url(re.compile(r"/admin/accounts/[0-9a-f-]{36}#grant$"))
        page.wait_for_function("() => window.htmx !== undefined")
        page.select_option("#role", "site_manager")
        page.fill("#q", "بورسعيد")
        expect(page.locator(f"#scope option[value='{site_id}']")).to_have_count(1)
        page.click("#grant-choice button[type=submit]")
        expect(page.locator(".notice.success")).to_be_visible()
        expect(page.locator(".shift-card")).to_have_count(1)
        assert_fits(page)
        shot(page, "account", variant)

        page.goto(f"{base}/admin")
        assert_fits(page)
        shot(page, "home", variant)

        manager = browser.new_page(viewport={"width": width, "height": 800}, locale=locale)
        manager.goto(f"{base}/sign-in")
        manager.click("a[href='/set-password']")
        manager.fill("#phone", manager_phone)
        manager.fill("#code", code)
        manager.fill("#password", MANAGER_PASSWORD)
        assert_fits(manager)
        shot(manager, "set-password", variant)
        manager.click("form[action='/set-password'] button[type=submit]")
        manager.wait_for_url(f"{base}/sign-in")
        sign_in(manager, base, manager_phone, MANAGER_PASSWORD)
        manager.wait_for_url(f"{base}/packing/{site_id}")
        shot(manager, "manager-lands", variant)
        browser.close()
