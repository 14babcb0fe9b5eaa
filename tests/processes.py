"""Real server and worker processes for tests that go over HTTP or kill a worker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import redis

from web.platform.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATF_")}
    env.update(
        KATF_DATABASE_URL=settings.database_url,
        KATF_SECRET_KEY=settings.secret_key,
        KATF_SECURE_COOKIES="1" if settings.secure_cookies else "0",
        KATF_BATCH_COMMANDS="1" if settings.batch_commands else "0",
        # Test clients stand in for the campaign's proxy: they spread their requests over
        # addresses with X-Forwarded-For, as the proxy would pass them on.
        KATF_TRUSTED_PROXIES=",".join(settings.trusted_proxies) or "127.0.0.1",
    )
    if settings.fast_password_hashing:
        env["KATF_FAST_PASSWORD_HASHING_FOR_TESTS"] = "1"
    if settings.redis_url:
        env["KATF_REDIS_URL"] = settings.redis_url
    env.update(extra)
    return env


def katf(settings: Settings, *args: str, **extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "web.cli", *args],
        env=environment(settings, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@contextmanager
def server(settings: Settings, **extra: str) -> Iterator[str]:
    """A ``katf serve`` process on a free port; yields its base URL."""
    port = free_port()
    process = katf(settings, "serve", "--port", str(port), **extra)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process)
        yield url
    finally:
        stop(process)


def wait_until_serving(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{url}/api/v1/governorates", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start in {seconds} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition: object, seconds: float = 30, interval: float = 0.05) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(interval)
    raise AssertionError(f"condition not met within {seconds} s")


async def signed_in_client(base: str, phone: str, password: str) -> httpx.AsyncClient:
    """A person's own client: its session cookie and CSRF token, as a browser would hold."""
    client = httpx.AsyncClient(base_url=base, timeout=60)
    token = (await client.get("/api/v1/session")).json()["csrf_token"]
    answer = await client.post(
        "/api/v1/session",
        json={"phone": phone, "password": password},
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code == 200, answer.text
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


class PrivateRedis:
    """A Redis of this test's own, so stopping it disturbs nothing else."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("private Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
