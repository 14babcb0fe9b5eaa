"""What an operator sees: an access log line per request, `/healthz` for the load balancer and
`/metrics` for Prometheus.

The access log names the route's template (``/shifts/{shift_id:uuid}``), never the path a
person asked for nor its query string, so no phone, national ID or search lands in a log.
Metrics are this process's own: Prometheus scrapes each web process.
"""

from __future__ import annotations

import logging
import random
import re
import time
from functools import lru_cache
from typing import Any

from litestar import Controller, Request, get
from litestar.concurrency import sync_to_thread
from litestar.response import Response
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from coordination.errors import DomainError
from web.platform.auth import services_of
from web.platform.errors import status_of
from workers.jobs import queue_depth

access = logging.getLogger("katf.access")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
UNMATCHED = "(unmatched)"
# Request ids need to be unique, not secret: ``uuid4`` reads the kernel's random source, and
# that call lets go of the interpreter lock in the event loop's thread, which then waits behind
# the request threads for its turn (measured: a tenth of a web process's samples in the rush).
REQUEST_IDS = random.Random()  # seeded from the kernel once, at import

REQUESTS = Counter(
    "katf_http_requests",
    "Requests answered, by route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "katf_http_request_duration_seconds",
    "Time to answer a request, by route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
BATCH_SIZES = Histogram(
    "katf_dispatch_batch_size",
    "Commands decided together in one write by the dispatcher's batcher",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
BATCHES_ONE_BY_ONE = Counter(
    "katf_dispatch_batches_one_by_one",
    "Batches that failed and whose commands were decided one by one (the log says why)",
)
SSE_CLIENTS = Gauge("katf_sse_clients", "Live pages following a stream from this process")


def request_id(scope: Scope) -> str:
    """The proxy's request id when it sent a sane one, else a new one."""
    state = scope.setdefault("state", {})
    if "request_id" not in state:
        given = dict(scope.get("headers", ())).get(b"x-request-id", b"").decode("latin-1")
        state["request_id"] = (
            given if REQUEST_ID.fullmatch(given) else f"{REQUEST_IDS.getrandbits(128):032x}"
        )
    return str(state["request_id"])


@lru_cache(maxsize=4096)
def _measures(method: str, route: str, status: int) -> tuple[Counter, Histogram]:
    """A route's counter and histogram, found once: ``labels`` takes a lock and checks its
    values on every call (route templates and statuses are few)."""
    return REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route)


def log_request(method: str, route: str, status: int, started: float | None, rid: str) -> None:
    duration = None if started is None else time.perf_counter() - started
    answered, latency = _measures(method, route, status)
    answered.inc()
    if duration is not None:
        latency.observe(duration)
    if access.isEnabledFor(logging.INFO):  # the fields go as they are: formatted off the loop
        fields = {
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": None if duration is None else round(duration * 1000, 1),
            "request_id": rid,
        }
        access.info("%(method)s %(route)s %(status)s", fields, extra={"fields": fields})


def answered_status(error: Exception) -> int:
    """The status the exception handlers give an error that left the route."""
    if isinstance(error, DomainError):
        return status_of(error)
    return int(getattr(error, "status_code", 500))


def access_log(app: ASGIApp) -> ASGIApp:
    """One line per routed request, once its answer has started."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500
        scope.setdefault("state", {})["access_logged"] = True

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, sending)
        except Exception as error:
            status = answered_status(error)  # the answer is written by a handler outside
            raise
        finally:
            route = scope.get("path_template") or UNMATCHED
            log_request(str(scope.get("method", "GET")), route, status, started, request_id(scope))

    return middleware


async def request_id_header(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: every answer names its request; one that never reached a route
    (a 404, a 405) is logged here, without a duration."""
    if message["type"] != "http.response.start" or scope["type"] != "http":
        return
    rid = request_id(scope)
    message["headers"] = [*message.get("headers", ()), (b"x-request-id", rid.encode())]
    if not scope.get("state", {}).get("access_logged"):
        log_request(str(scope.get("method", "GET")), UNMATCHED, message["status"], None, rid)


def views_of(request: Request[Any, Any, Any]) -> list[Any]:
    return list(services_of(request).runner.states())


class Operations(Controller):
    """Open to anyone who can reach them: the proxy keeps them to the operators' network."""

    include_in_schema = False

    @get("/healthz")
    async def healthz(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        """503 when this process cannot answer (database, Redis); a stalled or lagging view is
        reported but keeps the process in the pool, where its other pages still work."""
        services = services_of(request)
        checks: dict[str, Any] = {}
        try:
            views = await sync_to_thread(views_of, request)
            checks["database"] = "ok"
        except Exception as error:  # noqa: BLE001 - the answer is the report
            views, checks["database"] = [], f"failing: {type(error).__name__}"
        if services.settings.redis_url:
            healthy = await services.channels.healthy()
            checks["redis"] = "ok" if healthy else "failing"
        checks["views"] = {
            view.name: {"position": view.position, "lag": view.lag, "state": view.state}
            for view in views
        }
        failing = any(str(checks.get(k, "ok")) != "ok" for k in ("database", "redis"))
        checks["status"] = "failing" if failing else "ok"
        if any(view.stalled for view in views):
            checks["status"] = "failing" if failing else "degraded"
        return Response(
            checks, status_code=503 if failing else 200, headers={"Cache-Control": "no-store"}
        )

    @get("/metrics", sync_to_thread=True)
    def metrics(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        services = services_of(request)
        now = CollectorRegistry()
        lag = Gauge(
            "katf_projection_lag",
            "Events of the log a view has not applied",
            ["view"],
            registry=now,
        )
        stalled = Gauge(
            "katf_projection_stalled", "1 while a view is stalled", ["view"], registry=now
        )
        for view in services.runner.states():
            lag.labels(view.name).set(view.lag)
            stalled.labels(view.name).set(1 if view.stalled else 0)
        imports = Gauge(
            "katf_import_jobs_running", "Imports started and not finished", registry=now
        )
        rows = services.db.query("SELECT count(*) AS n FROM import_jobs WHERE finished_at IS NULL")
        imports.set(int(rows[0]["n"]))
        jobs = Gauge(
            "katf_job_queue",
            "Background jobs waiting or running, by state",
            ["state"],
            registry=now,
        )
        depth = queue_depth(services.db)
        for state in ("queued", "running"):
            jobs.labels(state).set(depth.get(state, 0))
        body = generate_latest() + generate_latest(now)
        return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
