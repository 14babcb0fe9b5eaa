"""The HTTP client of the load processes (``katf simulate-day``, the fan-out): sessions as
phones, desks and staff browsers hold them, requests spread over the web workers with a bound
on those in flight, and each phase's answers, latencies and refusals.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass
class Phase:
    name: str
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    refusals: dict[str, str] = field(default_factory=dict)  # an example of each kind
    started: float = field(default_factory=time.monotonic)  # the machine's clock, as any process's

    def report(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def at(q: float) -> float:
            return round(ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000, 1)

        return {
            "phase": self.name,
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "requests_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "p50_ms": at(0.5) if ordered else 0,
            "p95_ms": at(0.95) if ordered else 0,
            "p99_ms": at(0.99) if ordered else 0,
            "statuses": dict(self.statuses),
            "refusals": self.refusals,
            "started_monotonic": round(self.started, 3),
        }


@dataclass
class Answer:
    status: int
    headers: Any
    cookies: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Refused(Exception):
    def __init__(self, method: str, path: str, answer: Answer) -> None:
        super().__init__(f"{method} {path}: {answer.status} {answer.text[:300]}")
        self.answer = answer


@dataclass
class Session:
    """A browser's session (cookie and CSRF token) or a desk's bearer token."""

    cookie: str = ""
    csrf: str = ""
    bearer: str = ""
    address: str = ""

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.cookie:
            headers["Cookie"] = f"katf_session={self.cookie}"
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        if self.bearer:
            headers["Authorization"] = f"Bearer {self.bearer}"
        if self.address:
            headers["X-Forwarded-For"] = self.address
        return headers


TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)


class Api:
    """Requests spread over the web workers, at most ``clients`` in flight (aiohttp: the
    client's own CPU stays well below the servers')."""

    def __init__(self, bases: list[str], clients: int) -> None:
        self.bases, self.clients = bases, clients
        self._sessions: list[aiohttp.ClientSession] = []
        self._next: Iterator[aiohttp.ClientSession] = iter(())
        self.slots = asyncio.Semaphore(clients)
        self.phase = Phase("set-up")

    async def open(self) -> None:
        self._sessions = [
            aiohttp.ClientSession(
                base_url=base,
                connector=aiohttp.TCPConnector(limit=self.clients, keepalive_timeout=30),
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=aiohttp.ClientTimeout(total=300),
            )
            for base in self.bases
        ]
        self._next = itertools.cycle(self._sessions)

    async def close(self) -> None:
        for session in self._sessions:
            await session.close()

    async def call(
        self,
        method: str,
        path: str,
        session: Session,
        *,
        key: str = "",
        ok: tuple[int, ...] = (200, 201),
        **kwargs: Any,
    ) -> Answer:
        headers = session.headers() | ({"Idempotency-Key": key} if key else {})
        async with self.slots:
            started = time.monotonic()
            try:
                answer = await self._send(method, path, headers, kwargs)
            except TRANSPORT_ERRORS as error:
                self.phase.statuses[type(error).__name__] += 1
                self.phase.refusals.setdefault(type(error).__name__, str(error)[:300])
                raise
            finally:
                self.phase.latencies.append(time.monotonic() - started)
                self.phase.requests += 1
        self.phase.statuses[str(answer.status)] += 1
        if answer.status not in ok:
            refused = Refused(method, path, answer)
            self.phase.refusals.setdefault(str(answer.status), str(refused)[:300])
            raise refused
        return answer

    async def _send(
        self, method: str, path: str, headers: dict[str, str], kwargs: dict[str, Any]
    ) -> Answer:
        """Once more on a kept-alive connection the server had just closed (every request
        that changes something carries its idempotency key or is safe to repeat)."""
        client = next(self._next)
        for attempt in (1, 2):
            try:
                async with client.request(
                    method, path, headers=headers, allow_redirects=False, **kwargs
                ) as response:
                    body = await response.read()
                    cookies = {k: m.value for k, m in response.cookies.items()}
                    return Answer(response.status, response.headers, cookies, body)
            except aiohttp.ClientConnectionError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def session(self, address: str = "") -> Session:
        answer = await self.call("GET", "/api/v1/session", Session(address=address))
        return Session(answer.cookies["katf_session"], answer.json()["csrf_token"], "", address)

    async def sign_in(self, session: Session, phone: str, password: str) -> dict[str, Any]:
        answer = await self.call(
            "POST", "/api/v1/session", session, json={"phone": phone, "password": password}
        )
        session.cookie = answer.cookies["katf_session"]
        session.csrf = answer.json()["csrf_token"]
        return answer.json()


Job = Callable[[], Awaitable[Any]]
Progress = Callable[[str, int, int], None]


async def run_phase(api: Api, name: str, jobs: list[Job], progress: Progress) -> Phase:
    """Every job once, as many at a time as the API lets through; a job that fails is counted
    by its answer's status and the day goes on."""
    api.phase = phase = Phase(name)
    done, started = 0, time.monotonic()
    progress(name, 0, len(jobs))
    queue: Iterator[Job] = iter(jobs)

    async def worker() -> None:
        nonlocal done
        for job in queue:
            with contextlib.suppress(Refused, *TRANSPORT_ERRORS):
                await job()
            done += 1
            progress(name, done, len(jobs))

    await asyncio.gather(*(worker() for _ in range(api.clients)))
    phase.seconds = time.monotonic() - started
    return phase
