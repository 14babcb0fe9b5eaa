"""Roles from the pages: a volunteer's account is found by mobile number and made staff, no id
typed; a governorate coordinator grants and revokes the roles of their governorate's sites
and associations, and is told why when a role lies elsewhere."""

from __future__ import annotations

import re
from uuid import UUID

from litestar.testing import TestClient

from coordination.areas.accounts.commands import GrantRole, RegisterVolunteer
from coordination.areas.accounts.lookups import account as stored_account
from coordination.areas.accounts.lookups import account_id_for
from coordination.areas.sites.commands import FoundAssociation, OpenSite
from coordination.permissions import SYSTEM, Grant, Role
from tests.e2e.test_admin_pages import signed_in, staff, submit
from tests.helpers import PASSWORD, mobile, national_id
from web.bootstrap import Services

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def volunteer(services: Services, name: str, governorate: str) -> tuple[str, str]:
    phone = mobile()
    services.dispatcher.run(RegisterVolunteer(name, phone, national_id(), governorate, PASSWORD))
    return phone, str(account_id_for(services.app, phone))


def test_an_admin_makes_a_volunteer_staff_found_by_mobile_number(
    client: TestClient, services: Services
) -> None:
    site = services.dispatcher.run(
        OpenSite("vs-site", "packing", "03", "موقع الميناء", "Port"), SYSTEM
    )
    phone, account = volunteer(services, "Nour Adel", "03")
    services.runner.catch_up()
    signed_in(client, staff(services, Grant(Role.NATIONAL_ADMIN)))
    assert "Nour Adel" not in client.get("/admin/accounts").text  # not staff yet

    found = client.get("/admin/accounts", params={"q": phone.translate(ARABIC)}).text
    assert f'href="/admin/accounts/{account}"' in found and "Nour Adel" in found
    assert (
        'href="/admin/accounts/'
        not in client.get("/admin/accounts", params={"q": "Nour"})
        .text.split('id="find"')[1]
        .split("</section>")[0]
    )  # volunteers: by number, not by name

    page = f"/admin/accounts/{account}"
    assert client.get(page).status_code == 200
    granted = submit(
        client, f"{page}?role=site_manager&q=الميناء", f"{page}/roles", scope=str(site)
    )
    assert granted.status_code == 303
    services.runner.catch_up()
    listed = client.get("/admin/accounts").text
    assert f'href="/admin/accounts/{account}"' in listed  # now among the staff
    assert "مدير موقع" in client.get(page).text

    with TestClient(client.app) as person:
        signed_in(person, phone)
        assert person.get(f"/packing/{site}").status_code == 200  # the volunteer runs the site
        assert person.get("/my-shifts").status_code == 200  # and is still a volunteer


def test_a_governorate_coordinator_grants_and_revokes_within_their_governorate(
    client: TestClient, services: Services
) -> None:
    mine = services.dispatcher.run(OpenSite("gr-mine", "packing", "03", "موقعي", "Mine"), SYSTEM)
    other = services.dispatcher.run(OpenSite("gr-other", "packing", "04", "موقع", "Other"), SYSTEM)
    association = services.dispatcher.run(
        FoundAssociation("gr-assoc", "جمعية الميناء", "Port Association", "03"), SYSTEM
    )
    phone, account = volunteer(services, "Samir Hany", "03")
    _, stranger = volunteer(services, "Far Away", "04")
    services.dispatcher.run(GrantRole(UUID(account), "site_manager", str(other)), SYSTEM)
    services.runner.catch_up()
    signed_in(client, staff(services, Grant(Role.GOVERNORATE_COORDINATOR, "03")))

    found = client.get("/admin/accounts", params={"q": phone}).text
    assert f'href="/admin/accounts/{account}"' in found
    listed = found[found.index("data-found") :]
    assert phone[-8:] not in listed[: listed.index("</ul>")]  # to recognise, not to call
    assert client.get(f"/admin/accounts/{stranger}").status_code == 403  # lives in Suez

    page = f"/admin/accounts/{account}"
    html = client.get(page, params={"role": "site_manager"}).text
    assert f'<option value="{mine}">' in html and f'<option value="{other}">' not in html
    assert 'value="national_admin"' not in html and 'value="governorate_coordinator"' not in html
    assert "/roles/revoke" not in html  # the role in Suez is not theirs to revoke

    assert (
        submit(client, f"{page}?role=site_manager", f"{page}/roles", scope=str(mine)).status_code
        == 303
    )
    assert (
        submit(
            client, f"{page}?role=association_coordinator", f"{page}/roles", scope=str(association)
        ).status_code
        == 303
    )
    services.runner.catch_up()
    html = client.get(page).text
    assert html.count("/roles/revoke") == 2  # the two roles given here

    token = re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)
    for action, role in (("roles", "site_manager"), ("roles/revoke", "site_manager")):
        refused = client.post(
            f"{page}/{action}",
            data={"_csrf_token": token, "role": role, "scope": str(other)},
            headers={"Accept-Language": "ar"},
            follow_redirects=True,
        )
        assert "مواقع محافظتك ومطابخها وجمعياتها" in refused.text, action
    national = client.post(
        f"{page}/roles",
        data={"_csrf_token": token, "role": "operations_agent"},
        headers={"Accept": "application/json"},
    )
    assert national.status_code == 403 and "مواقع محافظتك ومطابخها وجمعياتها" in national.text

    revoked = submit(client, page, f"{page}/roles/revoke")
    assert revoked.status_code == 303
    services.runner.catch_up()
    grants = stored_account(services.app, UUID(account)).grants
    assert Grant(Role.SITE_MANAGER, str(other)) in grants  # the role in Suez untouched
    given_here = {
        Grant(Role.SITE_MANAGER, str(mine)),
        Grant(Role.ASSOCIATION_COORDINATOR, str(association)),
    }
    assert len(grants & given_here) == 1  # the first revoke button took one of them
