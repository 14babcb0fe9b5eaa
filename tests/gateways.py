"""Local gateways started by the tests: an HTTP SMS gateway that records what it receives
(and fails on demand, or a share of requests at random), and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class SmsGateway:
    """Like the gateways it stands for, a repeated ``reference`` is answered 200 without a
    second SMS; ``delivered`` counts the SMS sent per reference, ``requests`` every POST,
    ``accepted`` and ``refused`` the answers 200 and ``refused_status`` per reference."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.delivered: Counter[str] = Counter()
        self.texts: dict[str, dict[str, Any]] = {}
        self.failing = 0  # the next requests answered 503
        self.refusing: Counter[str] = Counter()  # requests for a reference answered 503
        self.failure_rate = 0.0  # a share of requests answered 503 at random,
        self.refused_at_most = 2  # a reference no more often than this
        self.refused_status = 503  # what a refusal answers (503: the gateway busy or down)
        self.accepted: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.url = ""
        self.token = "gateway-token"
        self.pause = 0.0  # seconds each SMS takes to send

    def handle(self, body: dict[str, Any], authorization: str) -> int:
        reference = body["reference"]
        with self.lock:
            self.requests.append(body)
            if authorization != f"Bearer {self.token}":
                return 401
            if self.failing:
                self.failing -= 1
                return self.refuse(reference)
            if self.refusing[reference] > 0:
                self.refusing[reference] -= 1
                return self.refuse(reference)
            at_random = random.random() < self.failure_rate
            if at_random and self.refused[reference] < self.refused_at_most:
                return self.refuse(reference)
            time.sleep(self.pause)
            self.accepted[reference] += 1
            if reference not in self.delivered:
                self.delivered[reference] += 1
                self.texts[reference] = body
            return 200

    def refuse(self, reference: str) -> int:
        self.refused[reference] += 1
        return self.refused_status


@contextmanager
def sms_gateway() -> Iterator[SmsGateway]:
    gateway = SmsGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            length = int(self.headers["Content-Length"])
            body = json.loads(self.rfile.read(length))
            status = gateway.handle(body, self.headers.get("Authorization", ""))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[str, Mailbox]]:
    """Yields ``smtp://127.0.0.1:port`` and the messages it received."""
    from aiosmtpd.controller import Controller

    from tests.processes import free_port

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", mailbox
    finally:
        controller.stop()
