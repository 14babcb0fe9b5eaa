"""A reset code issued on /reset-codes also reaches the volunteer's mobile by SMS, sent by the
process's own delivery worker through a real local HTTP gateway, at any hour."""

from __future__ import annotations

import re
from dataclasses import replace

from litestar.testing import TestClient

from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.permissions import Role
from tests.conftest import started
from tests.e2e.test_change_password import signs_in
from tests.e2e.test_pages import form_token
from tests.e2e.test_reset_codes import staff
from tests.gateways import sms_gateway
from tests.helpers import PASSWORD, mobile, national_id
from tests.processes import wait_for
from web.app import create_app
from web.platform.settings import Settings


def test_the_code_is_sent_by_sms_and_sets_a_new_password(sqlite_settings: Settings) -> None:
    volunteer = mobile()
    with sms_gateway() as gateway:
        settings = replace(sqlite_settings, sms_url=gateway.url, sms_token=gateway.token)
        for services in started(settings):
            services.dispatcher.run(
                RegisterVolunteer("منى حسن", volunteer, national_id(), "01", PASSWORD)
            )
            with TestClient(create_app(services, secure_cookies=False)) as client:
                assert signs_in(client, staff(services, Role.OPERATIONS_AGENT), PASSWORD)
                token = form_token(client.get("/reset-codes").text)
                answer = client.post(
                    "/reset-codes", data={"_csrf_token": token, "phone": volunteer}
                )
                assert "data-sent-by-sms" in answer.text, "the page says the SMS is on its way"
                found = re.search(r"data-code>([^<]+)<", answer.text)
                assert answer.status_code == 200 and found is not None
                code = found.group(1)
                assert code not in client.get("/reset-codes").text
                wait_for(lambda: any(code in b["text"] for b in gateway.texts.values()), 60)  # noqa: B023
                (sms,) = [b for b in gateway.texts.values() if code in b["text"]]
                assert sms["to"] == "+2" + volunteer and "رمز كلمة المرور" in sms["text"]
