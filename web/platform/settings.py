"""Settings read from the environment (DESIGN.md, "Processes and configuration")."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from coordination import cipher
from coordination.dispatch import recorder
from coordination.passwords import DEFAULT_PROFILE, PROFILES
from coordination.ticket_policy import InvalidDeadlines, deadlines_from

DEFAULT_DATABASE_URL = "sqlite:///./var/katf.db"


class SettingsError(Exception):
    """The environment does not describe a runnable configuration."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    secret_key: str = ""
    embedded_projections: bool = True
    fast_password_hashing: bool = False
    password_profile: str = DEFAULT_PROFILE  # Argon2id's parameters: PROFILES
    secure_cookies: bool = False
    ticket_deadlines: str = ""
    batch_commands: bool = True
    trusted_proxies: tuple[str, ...] = ()
    db_pool_size: int = 5  # PostgreSQL connections a process keeps; README, "Connection budget"
    sms_url: str = ""  # the SMS gateway's URL; unset: SMS are written to the log
    sms_token: str = ""
    smtp_url: str = ""  # smtp://user:password@host:port; unset: e-mail to the log
    mail_from: str = "katf@localhost"
    quiet_hours: tuple[int, int] | None = (23, 8)  # Cairo hours without SMS but codes
    delivery_lease_seconds: float = 120.0  # a claimed message's worker silent so long: retaken
    delivery_concurrency: int = 1  # messages a delivery worker sends at once
    delivery_give_way_seconds: float = 30.0  # the longest a burst of sign-ups holds messages
    job_lease_seconds: float = 60.0  # a job whose worker is silent this long goes to another
    job_pause_seconds: float = 0.0  # after each chunk of an import (tests stop a worker there)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> str:
        return self.database_url.removeprefix("sqlite:///")

    def eventsourcing_env(self) -> dict[str, str]:
        """The eventsourcing library's settings: tables come from migrations, never at start-up."""
        env = {
            "CREATE_TABLE": "false",
            "AGGREGATE_CACHE_MAXSIZE": "20000",
            "CIPHER_TOPIC": cipher.TOPIC,
            "CIPHER_KEY": derived_key(self.secret_key, "events"),
        }
        if self.is_postgres:
            url = urlsplit(self.database_url)
            env.update(
                PERSISTENCE_MODULE="eventsourcing.postgres",
                APPLICATION_RECORDER_TOPIC=recorder.TOPIC,
                POSTGRES_DBNAME=url.path.lstrip("/") or "katf",
                POSTGRES_HOST=url.hostname or "127.0.0.1",
                POSTGRES_PORT=str(url.port or 5432),
                POSTGRES_USER=unquote(url.username or "postgres"),
                POSTGRES_PASSWORD=unquote(url.password or ""),
                POSTGRES_POOL_SIZE=str(self.db_pool_size),
                POSTGRES_MAX_OVERFLOW=str(2 * self.db_pool_size),
                POSTGRES_LOCK_TIMEOUT="5",
            )
        else:
            env.update(
                PERSISTENCE_MODULE="eventsourcing.sqlite",
                APPLICATION_RECORDER_TOPIC=recorder.SQLITE_TOPIC,
                SQLITE_DBNAME=self.sqlite_path,
                SQLITE_LOCK_TIMEOUT="10",
            )
        return env


def pool_size(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 100:
        raise SettingsError(
            f"KATF_DB_POOL_SIZE must be a whole number from 1 to 100 (got {text!r})"
        )
    return int(text)


def password_profile(text: str) -> str:
    if text not in PROFILES:
        raise SettingsError(
            f"KATF_PASSWORD_PROFILE must be one of {', '.join(PROFILES)} (got {text!r})"
        )
    return text


def derived_key(secret_key: str, purpose: str) -> str:
    """A 256-bit key for one purpose, derived from the one secret in the settings."""
    digest = hashlib.sha256(f"katf:{purpose}:{secret_key}".encode()).digest()
    return base64.b64encode(digest).decode()


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    environ = dict(os.environ if environ is None else environ)
    database_url = environ.get("KATF_DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise SettingsError(
            "KATF_DATABASE_URL must start with sqlite:/// or postgresql:// "
            f"(got {database_url.split(':', 1)[0]!r})"
        )
    is_postgres = database_url.startswith(("postgresql://", "postgres://"))
    settings = Settings(
        database_url=database_url,
        redis_url=environ.get("KATF_REDIS_URL") or None,
        secret_key=environ.get("KATF_SECRET_KEY", ""),
        embedded_projections=not is_postgres or environ.get("KATF_EMBEDDED_PROJECTIONS", "") == "1",
        fast_password_hashing=environ.get("KATF_FAST_PASSWORD_HASHING_FOR_TESTS") == "1",
        password_profile=password_profile(environ.get("KATF_PASSWORD_PROFILE", DEFAULT_PROFILE)),
        secure_cookies=environ.get("KATF_SECURE_COOKIES", "1" if is_postgres else "0") == "1",
        ticket_deadlines=environ.get("KATF_TICKET_DEADLINES", ""),
        batch_commands=environ.get("KATF_BATCH_COMMANDS", "1") != "0",
        trusted_proxies=trusted_proxies(environ.get("KATF_TRUSTED_PROXIES", "")),
        db_pool_size=pool_size(environ.get("KATF_DB_POOL_SIZE", "5")),
        sms_url=gateway_url(environ, "KATF_SMS_URL", ("http://", "https://")),
        sms_token=environ.get("KATF_SMS_TOKEN", ""),
        smtp_url=gateway_url(environ, "KATF_SMTP_URL", ("smtp://", "smtps://")),
        mail_from=environ.get("KATF_MAIL_FROM") or "katf@localhost",
        quiet_hours=quiet_hours(environ.get("KATF_QUIET_HOURS", "23-8")),
        delivery_lease_seconds=lease(environ.get("KATF_DELIVERY_LEASE_SECONDS", "120")),
        delivery_concurrency=concurrency(environ.get("KATF_DELIVERY_CONCURRENCY", "1")),
        delivery_give_way_seconds=seconds(
            environ, "KATF_DELIVERY_GIVE_WAY_SECONDS", 30.0, minimum=0.0
        ),
        job_lease_seconds=seconds(environ, "KATF_JOB_LEASE_SECONDS", 60.0, minimum=1.0),
        job_pause_seconds=seconds(environ, "KATF_JOB_PAUSE_SECONDS", 0.0, minimum=0.0),
    )
    try:
        deadlines_from(settings.ticket_deadlines)
    except InvalidDeadlines as error:
        raise SettingsError(
            f"KATF_TICKET_DEADLINES: cannot read {error.context['part']!r};"
            " write e.g. urgent=60/1440,high=240/4320 (minutes to respond/to resolve)"
        ) from None
    if not settings.secret_key:
        if settings.is_postgres:
            raise SettingsError("KATF_SECRET_KEY is required with PostgreSQL")
        settings = Settings(**{**settings.__dict__, "secret_key": _embedded_secret(settings)})
    return settings


def seconds(environ: dict[str, str], name: str, default: float, minimum: float) -> float:
    text = environ.get(name, "")
    try:
        value = float(text) if text else default
    except ValueError:
        value = -1.0
    if not minimum <= value <= 3600:
        raise SettingsError(f"{name} must be a number of seconds from {minimum:g} to 3600")
    return value


def gateway_url(environ: dict[str, str], name: str, schemes: tuple[str, ...]) -> str:
    url = environ.get(name, "").strip()
    if url and not url.startswith(schemes):
        raise SettingsError(f"{name} must start with {' or '.join(schemes)}")
    return url


def quiet_hours(text: str) -> tuple[int, int] | None:
    """``23-8``: no SMS from 23:00 to 08:00, Cairo time (password codes go at once);
    ``off``: none."""
    if text.strip().lower() in ("off", ""):
        return None
    start, _, end = text.partition("-")
    if not (start.strip().isdigit() and end.strip().isdigit()) or not (
        int(start) < 24 and int(end) < 24 and int(start) != int(end)
    ):
        raise SettingsError(f"KATF_QUIET_HOURS: write e.g. 23-8 or off (got {text!r})")
    return int(start), int(end)


def lease(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 1 <= seconds <= 3600:
        raise SettingsError("KATF_DELIVERY_LEASE_SECONDS: seconds from 1 to 3600")
    return seconds


def concurrency(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 64:
        raise SettingsError("KATF_DELIVERY_CONCURRENCY: a whole number from 1 to 64")
    return int(text)


def trusted_proxies(text: str) -> tuple[str, ...]:
    """The proxies whose ``X-Forwarded-For`` is believed: addresses or networks (CIDR)."""
    proxies = tuple(part.strip() for part in text.split(",") if part.strip())
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(
                f"KATF_TRUSTED_PROXIES: {proxy!r} is not an address or a network;"
                " write e.g. 10.0.0.7,172.16.0.0/12"
            ) from None
    return proxies


def _embedded_secret(settings: Settings) -> str:
    """Embedded mode keeps a generated key beside the database, so hashes survive restarts."""
    path = Path(settings.sqlite_path).parent / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        with open(path, "x") as file:
            file.write(key)
    except FileExistsError:
        return path.read_text().strip()
    path.chmod(0o600)
    return key
