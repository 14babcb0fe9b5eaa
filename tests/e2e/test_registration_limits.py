"""Registration limits count people, not typos: only a registration that passes validation
counts toward its phone's limit; invalid ones are slowed per address at a generous rate."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.e2e.clients import prime
from tests.helpers import PASSWORD, mobile, national_id
from web.platform import limits
from web.platform.ratelimit import REGISTER_ACCOUNT, Rule


def registration(phone: str, **overrides: str) -> dict[str, str]:
    return {
        "full_name": "Karim Fathy",
        "phone": phone,
        "national_id": national_id(),
        "governorate": "01",
        "password": PASSWORD,
        **overrides,
    }


def test_invalid_registrations_do_not_lock_the_phone_out(client: TestClient) -> None:
    prime(client)
    phone = mobile()
    for typo in range(REGISTER_ACCOUNT.limit + 2):
        refused = client.post(
            "/api/v1/volunteers", json=registration(phone, national_id=f"2900101011{typo}")
        )
        assert refused.status_code == 422, refused.text
    registered = client.post("/api/v1/volunteers", json=registration(phone))
    assert registered.status_code == 201, registered.text


def test_the_registration_page_keeps_a_phone_open_after_typos(client: TestClient) -> None:
    prime(client)
    phone = mobile()
    for _ in range(REGISTER_ACCOUNT.limit + 1):
        refused = client.post("/register", data=registration(phone, password="short"))
        assert refused.status_code == 422
    registered = client.post("/register", data=registration(phone), follow_redirects=False)
    assert registered.status_code == 303


def test_valid_attempts_on_one_phone_still_count(client: TestClient) -> None:
    prime(client)
    phone = mobile()
    assert client.post("/api/v1/volunteers", json=registration(phone)).status_code == 201
    answers = [
        client.post("/api/v1/volunteers", json=registration(phone)).status_code
        for _ in range(REGISTER_ACCOUNT.limit)
    ]
    assert answers == [409] * (REGISTER_ACCOUNT.limit - 1) + [429]


def test_invalid_registrations_are_slowed_per_address(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "REGISTER_INVALID", Rule("register-invalid-test", 3, 3600))
    prime(client)
    answers = [
        client.post("/api/v1/volunteers", json=registration("0223")).status_code for _ in range(4)
    ]
    assert answers == [422, 422, 422, 429]
