"""Campaign administration from pages only, as plain forms without JavaScript: a national admin
opens a site, founds an association, opens a round and invites a site manager, who sets a
password with the code and lands on their site; governorate coordinators stay in their own."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.sites.commands import OpenSite
from coordination.permissions import SYSTEM, Grant, Role
from tests.e2e.test_pages import form_token
from tests.helpers import PASSWORD, mobile
from web.bootstrap import Services

UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
PICKED_OR_MACHINE = {"_csrf_token", "key", "role", "scope"}  # hidden, never typed by a person


def staff(services: Services, grant: Grant) -> str:
    phone = mobile()
    services.dispatcher.run(CreateUser(phone, "Staff Person", PASSWORD, [grant]), SYSTEM)
    return phone


def signed_in(client: TestClient, phone: str, password: str = PASSWORD) -> TestClient:
    token = form_token(client.get("/sign-in").text)
    form = {"phone": phone, "password": password, "_csrf_token": token, "next": ""}
    response = client.post("/sign-in", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def submit(client: TestClient, page: str, action: str, **fields: str) -> object:
    """The form posting to ``action`` on ``page``, filled as a person would, its hidden fields
    as the page gave them."""
    html = client.get(page).text
    start = html.index(f'action="{action}"')
    form_html = html[start : html.index("</form>", start)]
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form_html))
    return client.post(action, data={**hidden, **fields}, follow_redirects=False)


def test_an_admin_sets_up_a_site_and_its_manager_from_pages(
    client: TestClient, services: Services
) -> None:
    signed_in(client, staff(services, Grant(Role.NATIONAL_ADMIN)))
    assert client.get("/home", follow_redirects=False).headers["location"] == "/admin"

    opened = submit(
        client,
        "/admin/sites",
        "/admin/sites",
        kind="packing",
        governorate="03",
        name_ar="مركز تعبئة بورسعيد",
        name_en="Port Said packing centre",
    )
    assert opened.status_code == 303
    site_page = opened.headers["location"]
    site_id = site_page.rsplit("/", 1)[-1]
    html = client.get(site_page).text
    assert "Port Said" in html or "بورسعيد" in html
    assert "فتح الموقع" in html  # its history: opened the site
    assert "Staff Person" in html[html.index('id="history-title"') :]  # by whom

    edited = submit(
        client,
        site_page,
        site_page,
        name_ar="مركز تعبئة بورسعيد الكبير",
        name_en="Port Said main packing centre",
        address="شارع الجمهورية",
        latitude="",
        longitude="",
    )
    assert edited.status_code == 303
    history = client.get(site_page).text
    assert "غيّر اسم الموقع" in history and "شارع الجمهورية" in history

    founded = submit(
        client,
        "/admin/associations",
        "/admin/associations",
        name_ar="جمعية بورسعيد للخير",
        name_en="Port Said Good Works",
        governorate="03",
        kind="grassroots",
    )
    assert founded.status_code == 303 and "/admin/associations/" in founded.headers["location"]

    round_opened = submit(
        client,
        "/admin/rounds",
        "/admin/rounds",
        name_ar="رمضان 1448",
        name_en="Ramadan 1448",
        target="500000",
        allowance_food_box="1",
    )
    assert round_opened.status_code == 303
    # its history says the target in the page's digits (an Arabic page: Arabic-Indic)
    assert "٥٠٠٬٠٠٠" in client.get(round_opened.headers["location"]).text

    manager_phone = mobile()
    invited = submit(
        client, "/admin/accounts", "/admin/accounts", full_name="هالة سمير", phone=manager_phone
    )
    assert invited.status_code == 200
    code = re.search(r'id="set-up-code">([^<]+)<', invited.text).group(1)
    account_page = re.search(r'href="(/admin/accounts/[^"#]+)#grant"', invited.text).group(1)

    # the scope is searched by name (plain GET), then picked from the list
    found = client.get(account_page, params={"role": "site_manager", "q": "بورسعيد"}).text
    assert f'<option value="{site_id}">' in found
    granted = submit(
        client,
        f"{account_page}?role=site_manager&q=Port",
        f"{account_page}/roles",
        scope=site_id,
    )
    assert granted.status_code == 303
    assert "مدير موقع" in client.get(account_page).text

    with TestClient(client.app) as manager:
        token = form_token(manager.get("/set-password").text)
        wrong = {"phone": manager_phone, "code": "WRONG-CODE", "password": "a-good-pass-998"}
        assert (
            manager.post("/set-password", data={**wrong, "_csrf_token": token}).status_code == 409
        )
        chosen = {"phone": manager_phone, "code": code, "password": "a-good-pass-998"}
        set_password = manager.post(
            "/set-password", data={**chosen, "_csrf_token": token}, follow_redirects=False
        )
        assert set_password.status_code == 303
        again = manager.post("/set-password", data={**chosen, "_csrf_token": token})
        assert again.status_code == 409  # the code worked once
        signed_in(manager, manager_phone, "a-good-pass-998")
        assert manager.get("/home", follow_redirects=False).headers["location"] == (
            f"/packing/{site_id}"
        )

    closed = submit(client, site_page, f"{site_page}/close")
    assert closed.status_code == 303
    assert "أغلق الموقع" in client.get(site_page).text


def test_a_governorate_coordinator_administers_only_their_governorate(
    client: TestClient, services: Services
) -> None:
    mine = services.dispatcher.run(OpenSite("gc-mine", "packing", "03", "موقعي", "Mine"), SYSTEM)
    other = services.dispatcher.run(OpenSite("gc-other", "packing", "04", "موقع", "Other"), SYSTEM)
    services.runner.catch_up()
    signed_in(client, staff(services, Grant(Role.GOVERNORATE_COORDINATOR, "03")))
    sites = client.get("/admin/sites").text
    assert f"/admin/sites/{mine}" in sites and f"/admin/sites/{other}" not in sites
    assert client.get(f"/admin/sites/{other}").status_code == 403
    token = form_token(client.get(f"/admin/sites/{mine}").text)
    edit = {"_csrf_token": token, "name_ar": "س", "name_en": "X"}
    refused = client.post(
        f"/admin/sites/{other}", data=edit, headers={"Accept": "application/json"}
    )
    assert refused.status_code == 403
    opened = client.post(
        "/admin/sites",
        data={
            "_csrf_token": token,
            "key": "k1",
            "kind": "packing",
            "governorate": "04",
            "name_ar": "ب",
            "name_en": "B",
        },
        headers={"Accept": "application/json"},
    )
    assert opened.status_code == 403
    accounts = client.get("/admin/accounts")  # roles of their governorate, no invitations
    assert accounts.status_code == 200 and 'action="/admin/accounts"' not in accounts.text
    assert client.get("/admin/associations").status_code == 200
    elsewhere = client.post(
        "/admin/associations",
        data={
            "_csrf_token": token,
            "key": "k2",
            "name_ar": "ج",
            "name_en": "A",
            "governorate": "04",
        },
        headers={"Accept": "application/json"},
    )
    assert elsewhere.status_code == 403
    here = client.post(
        "/admin/associations",
        data={
            "_csrf_token": token,
            "key": "k3",
            "name_ar": "ج",
            "name_en": "A",
            "governorate": "03",
        },
        follow_redirects=False,
    )
    assert here.status_code == 303 and "/admin/associations/" in here.headers["location"]
    assert client.get("/admin/rounds").status_code == 403


class Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("input", "select", "textarea"):
            self.fields.append({"tag": tag, **dict(attrs)})


def test_no_admin_form_asks_a_person_for_an_id(client: TestClient, services: Services) -> None:
    admin_phone = staff(services, Grant(Role.NATIONAL_ADMIN))
    site = services.dispatcher.run(OpenSite("forms", "kitchen", "21", "مطبخ", "Kitchen"), SYSTEM)
    services.runner.catch_up()
    signed_in(client, admin_phone)
    account = client.get("/admin/accounts").text
    account_page = re.search(r'href="(/admin/accounts/[0-9a-f-]{36})"', account).group(1)
    pages = [
        "/admin",
        "/admin/sites",
        f"/admin/sites/{site}",
        "/admin/associations",
        "/admin/rounds",
        "/admin/accounts",
        account_page,
        f"{account_page}?role=kitchen_lead",
        f"{account_page}/scopes?role=association_coordinator",
        "/set-password",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        parser = Fields()
        parser.feed(response.text)
        for field in parser.fields:
            name, value = field.get("name") or "", field.get("value") or ""
            hidden = field.get("type") == "hidden"
            asks_id = name.endswith("_id") or UUID_PATTERN.match(value)
            assert not asks_id or (hidden and name in PICKED_OR_MACHINE), (path, field)
    picker = client.get(f"{account_page}?role=kitchen_lead").text
    assert f'<option value="{site}">' in picker  # the kitchen is picked by name
    assert UUID(str(site))


def test_a_round_opened_with_its_target_as_the_arabic_page_shows_it(
    client: TestClient, services: Services
) -> None:
    """The target field offers ٤٬٠٠٠٬٠٠٠ on an Arabic page (grouped, in its digits); sent as
    shown, or retyped with an allowance in Arabic-Indic digits, it counts."""
    signed_in(client, staff(services, Grant(Role.NATIONAL_ADMIN)))
    client.get("/language/ar")
    form = client.get("/admin/rounds").text
    assert 'name="target" type="text" inputmode="numeric"' in form and "٤٬٠٠٠٬٠٠٠" in form
    opened = submit(
        client,
        "/admin/rounds",
        "/admin/rounds",
        name_ar="رمضان ١٤٤٨",
        name_en="Ramadan 1448",
        target="٤٬٠٠٠٬٠٠٠",
        allowance_food_box="٢",
    )
    assert opened.status_code == 303, opened.text  # type: ignore[attr-defined]
    services.runner.catch_up()
    rounds = services.db.query(
        "SELECT target, allowances FROM admin_rounds WHERE name_en = 'Ramadan 1448'"
    )
    assert [row["target"] for row in rounds] == [4_000_000]
    assert json.loads(rounds[0]["allowances"])["food_box"] == 2
