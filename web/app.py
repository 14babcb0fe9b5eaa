"""The Litestar application: pages, JSON API, static files, sessions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins.htmx import HTMXPlugin
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore

from web.api import ApiV1
from web.api_admin import StaffApi
from web.api_distribution import DistributionApi
from web.api_exchange import ExchangeApi
from web.api_kitchens import KitchenApi
from web.api_packing import PackingApi
from web.api_tickets import TicketApi
from web.api_training import TrainingApi
from web.association_pages import AssociationPages
from web.badges import BadgePages
from web.bootstrap import Services
from web.csrf import csrf_guard
from web.desk import DeskEnrolment, DeskPages
from web.distribution import DistributionPages, PointPages
from web.distribution_reports import DistributionReports
from web.errors import EXCEPTION_HANDLERS
from web.household_import import HouseholdImport
from web.kitchens import KitchenPages
from web.line_lead import LinePages
from web.live import Live
from web.operations import OperationsRoom
from web.packing import PackingPages
from web.packing_reports import PackingReports
from web.pages import Pages
from web.pool import PoolPages
from web.reports import KitchenReports
from web.request_class import KatfRequest
from web.resilient_store import ResilientStore
from web.security import security_headers
from web.service import ServicePages
from web.sessions import RotatingSessionConfig
from web.volunteer_import import VolunteerImport

STATIC = Path(__file__).parent / "static"
SESSION_DAYS = 30
SESSION_CONNECTIONS = 100
SESSION_WAIT_SECONDS = 5.0


def session_store(redis_url: str | None) -> Store:
    """Sessions live in Redis when it is configured, so any worker can serve any request."""
    if redis_url:
        from litestar.stores.redis import RedisStore
        from redis.asyncio import BlockingConnectionPool, Redis

        # A burst of requests (a thousand live pages opening at once) waits for one of the
        # pool's connections instead of failing over to this worker's memory.
        pool = BlockingConnectionPool.from_url(
            redis_url, max_connections=SESSION_CONNECTIONS, timeout=SESSION_WAIT_SECONDS
        )
        client = Redis(connection_pool=pool)
        return ResilientStore(
            RedisStore(client, namespace="katf:sessions", handle_client_shutdown=True),
            ended_for=SESSION_DAYS * 24 * 3600,
        )
    return MemoryStore()


def create_app(services: Services, *, secure_cookies: bool | None = None) -> Litestar:
    settings = services.settings
    if secure_cookies is None:
        secure_cookies = settings.secure_cookies
    sessions = RotatingSessionConfig(
        key="katf_session",
        store="sessions",
        max_age=SESSION_DAYS * 24 * 3600,
        renew_on_access=False,  # renewed hourly by the backend (web/sessions.py)
        httponly=True,
        samesite="lax",
        secure=secure_cookies,
    )

    def on_startup(app: Litestar) -> None:
        app.state.services = services
        if settings.embedded_projections:
            services.start_projections()

    def on_shutdown(app: Litestar) -> None:
        services.stop_projections()

    static = create_static_files_router(
        path="/static",
        directories=[STATIC],
        name="static",
        cache_control=None,
        send_as_attachment=False,
    )
    handlers: list[Any] = [
        Pages,
        ApiV1,
        StaffApi,
        KitchenPages,
        KitchenReports,
        KitchenApi,
        OperationsRoom,
        TicketApi,
        PackingPages,
        LinePages,
        DeskPages,
        DeskEnrolment,
        BadgePages,
        PackingReports,
        PackingApi,
        DistributionPages,
        PointPages,
        DistributionReports,
        DistributionApi,
        HouseholdImport,
        TrainingApi,
        ExchangeApi,
        VolunteerImport,
        ServicePages,
        PoolPages,
        AssociationPages,
        Live,
        static,
    ]
    return Litestar(
        route_handlers=handlers,
        middleware=[sessions.middleware],
        stores={"sessions": session_store(settings.redis_url)},
        plugins=[HTMXPlugin()],
        request_class=KatfRequest,
        exception_handlers=EXCEPTION_HANDLERS,
        guards=[csrf_guard],
        after_request=security_headers,
        compression_config=CompressionConfig(backend="gzip", minimum_size=512, exclude="^/live"),
        openapi_config=OpenAPIConfig(title="Katf", version="1", path="/schema"),
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
    )
