"""Gateways behind one interface (``send(Outgoing)``, raising ``GatewayError``): SMS over an
HTTP gateway, e-mail over SMTP, and a log for the embedded default."""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import smtplib
import threading
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from workers.delivery import GatewayError, Outgoing

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0
# answers of 4xx that say nothing against the message itself: our credentials (set right,
# every message goes), a timeout or too many requests; the rest of 4xx refuse the message
PASSING_REFUSALS = frozenset({401, 403, 408, 425, 429})
SUBJECT_LENGTH = 78  # what a mail client shows in a list


class HttpSmsGateway:
    """POSTs ``{"to", "text", "reference"}`` as JSON with a bearer token; any 2xx is taken.

    Each thread keeps its connection to the gateway open between messages (a new connection
    for every SMS cost the worker and the gateway more than the request itself); one the
    gateway closed while idle is opened again once and the message sent on the new one."""

    def __init__(self, url: str, token: str = "", timeout: float = TIMEOUT_SECONDS) -> None:
        self.url, self.token, self.timeout = url, token, timeout
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        self.connection_class = (
            http.client.HTTPSConnection if secure else http.client.HTTPConnection
        )
        self.host, self.port = parts.hostname or "localhost", parts.port
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.local = threading.local()

    def connection(self, fresh: bool) -> http.client.HTTPConnection:
        held = getattr(self.local, "connection", None)
        if held is None or fresh:
            if held is not None:
                held.close()
            held = self.connection_class(self.host, self.port, timeout=self.timeout)
            self.local.connection = held
        return held

    def send(self, message: Outgoing) -> None:
        body = {"to": message.destination, "text": message.text, "reference": message.key}
        data = json.dumps(body, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": message.key,
        }
        for fresh in (False, True):
            connection = self.connection(fresh)
            reused = connection.sock is not None
            try:
                connection.request("POST", self.path, body=data, headers=headers)
                with connection.getresponse() as answer:
                    answer.read()
                    status = answer.status
            except TimeoutError as error:
                connection.close()
                raise GatewayError(f"SMS gateway unreachable: {error}") from None
            except (http.client.HTTPException, OSError) as error:
                connection.close()
                if reused and not fresh:  # closed by the gateway while idle: once more
                    continue
                raise GatewayError(f"SMS gateway unreachable: {error}") from None
            if not 200 <= status < 300:
                permanent = 400 <= status < 500 and status not in PASSING_REFUSALS
                raise GatewayError(f"SMS gateway answered {status}", permanent)
            return


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
        mail["From"], mail["To"] = self.sender, message.destination
        mail["Subject"] = subject_of(message.text)
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
        except smtplib.SMTPRecipientsRefused as error:
            raise GatewayError(f"SMTP: {error}", permanent=True) from None
        except (smtplib.SMTPException, OSError) as error:
            raise GatewayError(f"SMTP: {error}") from None


def subject_of(text: str) -> str:
    """An e-mail's subject: the message itself, which is short (an SMS's), cut at a word."""
    line = " ".join(text.split())
    if len(line) <= SUBJECT_LENGTH:
        return line
    return line[:SUBJECT_LENGTH].rsplit(" ", 1)[0] + "…"


class LogGateway:
    """Writes that a message would have gone (its key and kind, never its text or number)."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, message: Outgoing) -> None:
        log.info("%s message %s (%s) delivered to the log", self.channel, message.key, message.kind)
