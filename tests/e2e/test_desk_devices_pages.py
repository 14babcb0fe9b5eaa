"""A site's desks from its manager's pages, through plain forms: a named code issued with
its printable card (a QR code the desk opens), the desk enrolled with it, then revoked."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from tests.e2e.clients import sign_in
from tests.e2e.stadium import stadium
from tests.e2e.test_pages import form_token
from web.bootstrap import Services


def test_a_manager_issues_prints_and_revokes_a_desk_code(
    client: TestClient, services: Services
) -> None:
    world = stadium(services)
    services.runner.catch_up()
    site = world["site"]
    sign_in(client, world["manager"])
    client.get("/language/en")
    devices = f"/packing/{site}/devices"
    listed = client.get(devices).text
    assert "Gate 1" in listed and "Revoke this desk" in listed
    token = form_token(listed)
    card = client.post(devices, data={"_csrf_token": token, "label": "Gate 7"})
    assert card.status_code == 201
    secret = re.search(r"data-secret>([^<]+)<", card.text).group(1)
    assert "<svg" in card.text and "This code is shown only once" in card.text
    assert secret not in client.get(devices).text  # shown once, never listed

    with TestClient(client.app) as desk:
        opened = desk.get("/desk", params={"code": secret}).text  # what the QR code opens
        assert f'value="{secret}"' in opened
        enrolled = desk.post(
            "/desk",
            data={"device_code": secret, "_csrf_token": form_token(opened)},
            follow_redirects=False,
        )
        assert enrolled.headers["location"] == f"/packing/{site}/desk"

    token_id = re.findall(r"/devices/([0-9a-f-]{36})/revoke", client.get(devices).text)[-1]
    revoked = client.post(
        f"{devices}/{token_id}/revoke",
        data={"_csrf_token": form_token(client.get(devices).text)},
        follow_redirects=True,
    )
    assert "The desk code was revoked." in revoked.text
    assert revoked.text.count('data-device="revoked"') == 1
    with TestClient(client.app) as late:
        refused = late.post(
            "/desk",
            data={"device_code": secret, "_csrf_token": form_token(late.get("/desk").text)},
        )
        assert refused.status_code == 401


def items_in_page(client: TestClient, services: Services, language: str) -> tuple[str, str]:
    """The stadium's items-in page, as its manager sees it in ``language``: its path, its text."""
    world = stadium(services)
    services.runner.catch_up()
    sign_in(client, world["manager"])
    client.get(f"/language/{language}")
    items = f"/packing/{world['site']}/items-in"
    return items, client.get(items).text


def test_a_manager_records_donated_items_coming_in(client: TestClient, services: Services) -> None:
    items, shown = items_in_page(client, services, "en")
    assert "Nothing received yet." in shown
    key = form_token(shown, "idempotency_key")
    sent = {"_csrf_token": form_token(shown), "idempotency_key": key, "item": "clothing"}
    answer = client.post(items, data={**sent, "count": "40"})
    assert "Recorded. On hand now: 40" in answer.text
    again = client.post(items, data={**sent, "count": "40"})  # the same form sent twice
    assert "Recorded. On hand now: 40" in again.text
    row = answer.text.split('data-item="clothing"')[1].split("</tr>")[0]
    assert "<td>40</td>" in row
    refused = client.post(items, data={**sent, "idempotency_key": "k2", "count": "0"})
    assert "notice error" in refused.text


def test_a_count_typed_in_arabic_indic_digits_is_read_and_a_superscript_refused(
    client: TestClient, services: Services
) -> None:
    """Number fields are text fields (a browser's number field shows Western digits only): on
    a phone set to Arabic the manager types ٤٠, which counts as 40; a "²" is no count (it is a
    digit to Python, but not a decimal one) and is refused in words, not with a 500."""
    items, shown = items_in_page(client, services, "ar")
    assert 'name="count" type="text" inputmode="numeric"' in shown
    sent = {"_csrf_token": form_token(shown), "item": "clothing"}
    answer = client.post(items, data={**sent, "idempotency_key": "k1", "count": "٤٠"})
    assert answer.status_code == 200, answer.text
    row = answer.text.split('data-item="clothing"')[1].split("</tr>")[0]
    assert "<td>٤٠</td>" in row
    refused = client.post(items, data={**sent, "idempotency_key": "k2", "count": "²"})
    assert refused.status_code < 500 and "notice error" in refused.text
