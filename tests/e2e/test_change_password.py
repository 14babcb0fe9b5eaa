"""A volunteer changes their own password from the profile, by plain form."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.e2e.test_pages import form_token, register
from tests.helpers import PASSWORD, mobile


def signs_in(client: TestClient, phone: str, password: str) -> bool:
    token = form_token(client.get("/sign-in").text)
    data = {"_csrf_token": token, "phone": phone, "password": password}
    return client.post("/sign-in", data=data, follow_redirects=False).status_code == 303


def test_a_volunteer_changes_their_password_given_the_current_one(client: TestClient) -> None:
    phone, new = mobile(), "a-new-Katf-password-2026"
    assert register(client, phone=phone).status_code == 303
    profile = client.get("/profile").text
    assert 'autocomplete="current-password"' in profile and 'autocomplete="new-password"' in profile
    token = form_token(profile)

    wrong = {"_csrf_token": token, "current_password": "not mine", "new_password": new}
    refused = client.post("/profile/password", data=wrong)
    assert refused.url.path == "/profile" and "كلمة المرور الحالية التي كتبتها غير صحيحة" in (
        refused.text
    )
    weak = {"_csrf_token": token, "current_password": PASSWORD, "new_password": "short"}
    assert "notice error" in client.post("/profile/password", data=weak).text

    right = {"_csrf_token": token, "current_password": PASSWORD, "new_password": new}
    changed = client.post("/profile/password", data=right)
    assert changed.url.path == "/profile" and "تم تغيير كلمة المرور" in changed.text
    client.post("/sign-out", data={"_csrf_token": form_token(changed.text)})
    assert not signs_in(client, phone, PASSWORD), "the old password no longer opens the account"
    assert signs_in(client, phone, new)
