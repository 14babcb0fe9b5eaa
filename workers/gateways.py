"""Gateways behind one interface (``send(Outgoing)``, raising ``GatewayError``): SMS over an
HTTP gateway, e-mail over SMTP, and a log for the embedded default."""

from __future__ import annotations

import hashlib
import json
import logging
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from workers.delivery import GatewayError, Outgoing

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0


class HttpSmsGateway:
    """POSTs ``{"to", "text", "reference"}`` as JSON with a bearer token; any 2xx is taken."""

    def __init__(self, url: str, token: str = "", timeout: float = TIMEOUT_SECONDS) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, message: Outgoing) -> None:
        body = {"to": message.destination, "text": message.text, "reference": message.key}
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": message.key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                answer.read()
        except urllib.error.HTTPError as error:
            raise GatewayError(f"SMS gateway answered {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            raise GatewayError(f"SMS gateway unreachable: {error}") from None


class SmtpGateway:
    """``smtp://user:password@host:port`` (``smtps://`` for TLS from the start; ``?starttls``)."""

    def __init__(self, url: str, sender: str, timeout: float = TIMEOUT_SECONDS) -> None:
        parts = urlsplit(url)
        self.tls, self.starttls = parts.scheme == "smtps", parts.query == "starttls"
        self.host, self.port = parts.hostname or "localhost", parts.port or 25
        self.user, self.password = unquote(parts.username or ""), unquote(parts.password or "")
        self.sender, self.timeout = sender, timeout

    def send(self, message: Outgoing) -> None:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, message.destination, "Katf"
        digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
        mail["Message-ID"] = f"<{digest}@katf>"
        mail.set_content(message.text)
        connect = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        try:
            with connect(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as error:
            raise GatewayError(f"SMTP: {error}") from None


class LogGateway:
    """Writes that a message would have gone (its key and kind, never its text or number)."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, message: Outgoing) -> None:
        log.info("%s message %s (%s) delivered to the log", self.channel, message.key, message.kind)
