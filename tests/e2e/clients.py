"""Test clients that behave like a browser or an API client: CSRF token, sign-in."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.helpers import PASSWORD, mobile, national_id


def prime(client: TestClient) -> TestClient:
    """Fetches this session's CSRF token and sends it with every request, as htmx does."""
    client.headers["X-CSRF-Token"] = client.get("/api/v1/session").json()["csrf_token"]
    return client


def new_volunteer(client: TestClient, **overrides: Any) -> dict[str, str]:
    body = {
        "full_name": "Karim Fathy",
        "phone": mobile(),
        "national_id": national_id(),
        "governorate": "01",
        "password": PASSWORD,
        **overrides,
    }
    response = prime(client).post("/api/v1/volunteers", json=body)
    assert response.status_code == 201, response.text
    return {**body, "id": response.json()["id"]}


def sign_in(client: TestClient, phone: str, password: str = PASSWORD) -> dict[str, Any]:
    response = prime(client).post("/api/v1/session", json={"phone": phone, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return response.json()
