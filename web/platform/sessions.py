"""Sessions carried by the browser, sealed; sign-outs kept on the server and in every process.

Why a cookie and not a server-side store: a session kept only in Redis is lost to every
process while Redis is away (or restarts empty), and a signed-in volunteer's next form then
fails the CSRF check, a 403 for someone who did nothing wrong. So the session itself (the
account or desk it speaks for, its CSRF token, its own random id ``sid``) travels in one
``katf_session`` cookie, encrypted and authenticated with AES-GCM (``cryptography``, through
Litestar's client-side session backend) under a key derived from ``KATF_SECRET_KEY``; its
expiry is sealed with it. Any process establishes who is asking from the cookie alone, Redis
or not, and reading a session costs no round trip.

What a cookie cannot do by itself is end early: a sign-out must kill the session even in the
hands of whoever copied the cookie. Sign-outs (and sessions replaced at sign-in) are
revocations of the ``sid``: kept server-side in Redis (``katf:sessions:ended:<sid>``, for as
long as a session may live) and announced on a pub/sub channel, and every process keeps the set
of ended sessions in memory: it loads the set whenever its subscription (re)connects and adds
each announcement as it arrives. A process that cannot reach Redis when someone signs out ends
the session in its own memory at once and hands the revocation to Redis as soon as Redis
answers again (the other processes then learn it within a fraction of a second). Without Redis
(the embedded default, one process) the set lives in that process's memory.

A session slides: the cookie is sent again when the session changes or once its last renewal
is an hour old, not on every response. A request that leaves no session (a device's bearer
token, an anonymous JSON call) gets no cookie.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import redis
from litestar.connection import ASGIConnection
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.types import Message, ScopeSession

from coordination.account import Account

log = logging.getLogger(__name__)

ROTATE = "katf.session.rotate"
ENDED_SID = "katf.session.ended_sid"
LOADED = "katf.session.loaded"
RENEWED = "renewed_at"
SID = "sid"
RENEW_SECONDS = 3600
SESSION_DAYS = 30
COPY_SECONDS = 300  # the longest a session's copy of who its account is may be trusted
ENDED_PREFIX = "katf:sessions:ended:"
ENDED_CHANNEL = "katf:sessions:ended"
CHANGED_PREFIX = "katf:accounts:changed:"
CHANGED_CHANNEL = "katf:accounts:changed"


def session_secret(secret_key: str) -> bytes:
    """The 256-bit AES key of the session cookie, for this purpose only."""
    return hashlib.sha256(f"katf:session-cookie:{secret_key}".encode()).digest()


class Revocations:
    """The sessions ended before their time, as this process knows them (``sid`` -> when the
    record may be forgotten: when the session would have expired anyway). The same notices,
    under another prefix and channel, tell of accounts that changed (``AccountChanges``)."""

    def __init__(
        self,
        redis_url: str | None,
        keep_for: int,
        prefix: str = ENDED_PREFIX,
        channel: str = ENDED_CHANNEL,
    ) -> None:
        self.redis_url, self.keep_for = redis_url, keep_for
        self.prefix, self.channel = prefix, channel
        self._ended: dict[str, float] = {}
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()

    def ended(self, sid: str) -> bool:
        until = self._ended.get(sid)
        return until is not None and until > time.time()

    def end(self, sid: str) -> None:
        with self._lock:
            self._ended[sid] = time.time() + self.keep_for
            if self.redis_url:
                self._pending.add(sid)

    def start(self) -> None:
        if self.redis_url and self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._follow, name="katf-sign-outs", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _follow(self) -> None:
        """Subscribe, load every recorded sign-out, then hand ours over and take others' as
        they come; on any Redis failure start again a moment later."""
        while not self._stop.is_set():
            client = redis.Redis.from_url(
                self.redis_url or "",
                socket_connect_timeout=1,
                socket_timeout=2,
                retry_on_timeout=True,
                health_check_interval=1,
            )
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                for key in client.scan_iter(f"{self.prefix}*", count=1000):
                    self._heard(key.decode()[len(self.prefix) :])
                self.connected.set()
                while not self._stop.is_set():
                    self._hand_over(client)
                    message = pubsub.get_message(timeout=0.2)
                    if message and message.get("type") == "message":
                        self._heard(message["data"].decode())
            except (redis.RedisError, OSError) as error:
                if self.connected.is_set():
                    log.warning("sign-outs not followed while Redis is away: %s", error)
                self.connected.clear()
                self._stop.wait(0.2)
            finally:
                client.close()

    def _hand_over(self, client: redis.Redis) -> None:
        with self._lock:
            pending = list(self._pending)
        for sid in pending:
            client.set(self.prefix + sid, b"1", ex=self.keep_for)
            client.publish(self.channel, sid)
            with self._lock:
                self._pending.discard(sid)
        if len(self._ended) > 1000 and secrets.randbelow(100) == 0:
            now = time.time()
            with self._lock:
                self._ended = {s: until for s, until in self._ended.items() if until > now}

    def _heard(self, sid: str) -> None:
        with self._lock:
            self._ended[sid] = time.time() + self.keep_for


class AccountChanges(Revocations):
    """Accounts whose grants (or anything else) changed, as this process has heard: a session
    keeps who its account was when last read (``web/platform/auth.py``), trusted only while no
    change of that account was heard since and while this process hears every change."""

    def __init__(self, redis_url: str | None, keep_for: int, single_process: bool) -> None:
        super().__init__(redis_url, keep_for, CHANGED_PREFIX, CHANGED_CHANNEL)
        self.single_process = single_process

    def changed_since(self, account_id: str, moment: float) -> bool:
        until = self._ended.get(account_id)
        return until is not None and until - self.keep_for >= moment

    def heard_by_all(self) -> bool:
        """Whether a change made anywhere reaches this process: it follows Redis, or it is the
        only process there is (the embedded default)."""
        if self.redis_url:
            return self.connected.is_set()
        return self.single_process

    def tell(self, account_id: str) -> None:
        """Known here at once; handed to Redis now if it answers, else as soon as it does."""
        self.end(account_id)
        if not self.redis_url:
            return
        client = redis.Redis.from_url(
            self.redis_url, socket_connect_timeout=0.5, socket_timeout=0.5
        )
        try:
            self._hand_over(client)
        except (redis.RedisError, OSError) as error:
            log.warning("an account's change waits for Redis: %s", error)
        finally:
            client.close()


class SealedSessionBackend(ClientSideSessionBackend):
    config: SealedSessionConfig

    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        sid = data.get(SID)
        if data and (not isinstance(sid, str) or self.config.revocations.ended(sid)):
            data = {}  # ended by a sign-out, or sealed before sessions had an id
        connection.scope[LOADED] = dict(data)  # type: ignore[literal-required]
        return data

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        scope: Any = connection.scope
        loaded = scope.get(LOADED) or {}
        ended = scope.get(ENDED_SID)
        if ended:
            self.config.revocations.end(ended)
        if scope.get(ROTATE) and loaded.get(SID):
            self.config.revocations.end(loaded[SID])  # the replaced session dies everywhere
        kept = scope_session or loaded or scope.get(ROTATE)
        if not kept and not self.get_cookie_key_set(connection):
            return  # nothing kept and nothing to clear: no cookie
        unchanged = not scope.get(ROTATE) and scope_session == loaded
        if unchanged and isinstance(scope_session, dict) and _recently_renewed(scope_session):
            return
        if isinstance(scope_session, dict) and scope_session:
            scope_session.setdefault(SID, secrets.token_urlsafe(16))
            scope_session[RENEWED] = int(time.time())
        await super().store_in_message(scope_session, message, connection)


def _recently_renewed(session: dict[str, Any]) -> bool:
    renewed = session.get(RENEWED)
    return isinstance(renewed, int) and 0 <= time.time() - renewed < RENEW_SECONDS


@dataclass
class SealedSessionConfig(CookieBackendConfig):
    _backend_class = SealedSessionBackend  # type: ignore[assignment]
    revocations: Revocations = field(default_factory=lambda: Revocations(None, 1))


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any], **data: Any) -> None:
    """A new session (a new id) for the new privilege; the one it replaces is ended."""
    connection.scope[ROTATE] = True  # type: ignore[literal-required]
    connection.scope["session"] = {**data, SID: secrets.token_urlsafe(16)}


def end_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Sign-out: the session is ended for every process, whoever holds a copy of its cookie."""
    session = connection.scope.get("session")
    if isinstance(session, dict) and isinstance(session.get(SID), str):
        connection.scope[ENDED_SID] = session[SID]  # type: ignore[literal-required]
    connection.clear_session()


def account_changes_for(store: Any, redis_url: str | None, single_process: bool) -> AccountChanges:
    """Told of every save: an account that changed (not one just opened) is announced."""
    changes = AccountChanges(redis_url, COPY_SECONDS + 60, single_process)

    def saved(events: list[Any]) -> None:
        for event in events:
            if isinstance(event, Account.Event) and event.originator_version > 1:
                changes.tell(str(event.originator_id))

    store.saved_listeners.append(saved)
    return changes
