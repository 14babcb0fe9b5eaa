"""The e-mail and SMS gateways against real local servers: what arrives, and a refusal."""

from __future__ import annotations

import pytest

from tests.gateways import sms_gateway, smtp_server
from tests.processes import free_port
from workers.delivery import GatewayError, Outgoing
from workers.gateways import HttpSmsGateway, SmtpGateway

MESSAGE = Outgoing("event:1:person:email", "email", "mona@example.org", "signed_up", "كتف: تم")


def test_an_email_reaches_the_smtp_server_with_its_reference() -> None:
    with smtp_server() as (url, mailbox):
        SmtpGateway(url, "katf@example.org").send(MESSAGE)
    ((recipients, mail),) = mailbox.messages
    assert recipients == ["mona@example.org"]
    assert mail["From"] == "katf@example.org" and mail["Message-ID"].endswith("@katf>")
    assert mail.get_payload(decode=True).decode().strip() == "كتف: تم"


def test_an_unreachable_smtp_server_is_a_gateway_error() -> None:
    with pytest.raises(GatewayError):
        SmtpGateway(f"smtp://127.0.0.1:{free_port()}", "katf@example.org").send(MESSAGE)


def test_the_sms_gateway_gets_json_with_the_token_and_refusals_raise() -> None:
    sms = Outgoing("event:1:person:sms", "sms", "+201012345678", "signed_up", "كتف: تم")
    with sms_gateway() as gateway:
        HttpSmsGateway(gateway.url, gateway.token).send(sms)
        assert gateway.texts["event:1:person:sms"]["to"] == "+201012345678"
        with pytest.raises(GatewayError, match="401"):
            HttpSmsGateway(gateway.url, "wrong").send(sms)
        gateway.failing = 1
        with pytest.raises(GatewayError, match="503"):
            HttpSmsGateway(gateway.url, gateway.token).send(sms)
    assert list(gateway.delivered.values()) == [1]


def test_only_a_refusal_of_the_message_itself_is_permanent() -> None:
    """A gateway down, busy or rate-limiting, or our token wrong, passes; a 4xx about the
    message (a number it cannot send to) is the message's own, and an unreachable server
    passes too."""
    sms = Outgoing("event:2:person:sms", "sms", "+201012345678", "signed_up", "كتف: تم")
    with sms_gateway() as gateway:
        gateway.refusing[sms.key] = 10
        for status, permanent in ((503, False), (429, False), (400, True), (422, True)):
            gateway.refused_status = status
            with pytest.raises(GatewayError, match=str(status)) as refused:
                HttpSmsGateway(gateway.url, gateway.token).send(sms)
            assert refused.value.permanent is permanent
        with pytest.raises(GatewayError, match="401") as wrong_token:
            HttpSmsGateway(gateway.url, "wrong").send(sms)
        assert not wrong_token.value.permanent
    with pytest.raises(GatewayError) as unreachable:
        HttpSmsGateway(f"http://127.0.0.1:{free_port()}/send").send(sms)
    assert not unreachable.value.permanent
