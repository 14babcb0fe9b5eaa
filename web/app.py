"""The Litestar application: every area's pages and JSON API, static files, sessions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.logging.config import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins.htmx import HTMXPlugin
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp

from web.admin.api import StaffApi
from web.admin.first_run import FirstRun
from web.admin.pages import AdminPages
from web.admin.staff import StaffPages
from web.associations.api import ExchangeApi, RosterApi
from web.associations.pages import AssociationPages
from web.associations.pool import PoolPages
from web.associations.training_api import TrainingApi
from web.associations.verifications import VerificationPages
from web.associations.volunteer_import import VolunteerImport
from web.bootstrap import Services
from web.distribution.api import DistributionApi
from web.distribution.household_import import HouseholdImport
from web.distribution.offline import OfflineDevice
from web.distribution.pages import DistributionPages, PointPages
from web.distribution.reports import DistributionReports
from web.kitchens.api import KitchenApi
from web.kitchens.pages import KitchenPages
from web.kitchens.reports import KitchenReports
from web.operations.api import TicketApi
from web.operations.pages import OperationsRoom
from web.packing.api import PackingApi
from web.packing.desk import DeskEnrolment, DeskPages
from web.packing.devices import DevicePages
from web.packing.items_in import ItemsInPages
from web.packing.line_lead import LinePages
from web.packing.pages import PackingPages
from web.packing.reports import PackingReports
from web.platform.compression import SmallAnswersAsTheyAre
from web.platform.csrf import csrf_cookie, csrf_guard
from web.platform.errors import EXCEPTION_HANDLERS
from web.platform.guards import guards_share_the_handler
from web.platform.live import Live
from web.platform.observability import Operations, access_log, request_id_header
from web.platform.openapi import document_errors
from web.platform.queries import refuse_control_characters
from web.platform.request_class import KatfRequest
from web.platform.security import security_headers
from web.platform.sessions import (
    SESSION_DAYS,
    Revocations,
    SealedSessionConfig,
    session_secret,
)
from web.platform.static import cached_for_long
from web.platform.streams import LiveStreams, detached_streams
from web.shifts.pages import ShiftPages, ShiftPlanPages
from web.training.pages import TrainingPages
from web.volunteers.account import AccountPages
from web.volunteers.api import ApiV1
from web.volunteers.badges import BadgePages
from web.volunteers.calendar import CalendarPages
from web.volunteers.inbox import InboxPages
from web.volunteers.pages import Pages
from web.volunteers.reset_codes import ResetCodePages
from web.volunteers.service import ServicePages
from web.volunteers.waitlist import WaitlistApi, WaitlistPages

STATIC = Path(__file__).parent / "static"


# Litestar's own logger joins the process's root logger (JSON lines, see web/platform/logs.py)
# instead of replacing the root's handlers with a queue of its own.
LOGGING = LoggingConfig(
    configure_root_logger=False,
    loggers={"litestar": {"level": "INFO", "handlers": [], "propagate": True}},
)


def served(app: Litestar) -> ASGIApp:
    """The application as ``katf serve`` runs it: live streams outlive their requests'
    objects (``web/platform/streams.py``)."""
    return detached_streams(app, lambda: getattr(app.state, "live", None))


def create_app(services: Services, *, secure_cookies: bool | None = None) -> Litestar:
    settings = services.settings
    if secure_cookies is None:
        secure_cookies = settings.secure_cookies
    # Sealed in the cookie, sign-outs followed from Redis: web/platform/sessions.py says why.
    revocations = Revocations(settings.redis_url, keep_for=SESSION_DAYS * 24 * 3600)
    sessions = SealedSessionConfig(
        secret=session_secret(settings.secret_key),
        key="katf_session",
        max_age=SESSION_DAYS * 24 * 3600,
        revocations=revocations,
        httponly=True,
        samesite="lax",
        secure=secure_cookies,
    )

    def on_startup(app: Litestar) -> None:
        app.state.services = services
        app.state.live = LiveStreams(services.channels)
        revocations.start()
        services.account_changes.start()
        if settings.embedded_projections:
            services.start_projections()

    def on_shutdown(app: Litestar) -> None:
        services.stop_projections()
        revocations.stop()
        services.account_changes.stop()

    static = create_static_files_router(
        path="/static",
        directories=[STATIC],
        name="static",
        cache_control=None,
        send_as_attachment=False,
        middleware=[cached_for_long],
    )
    handlers: list[Any] = [
        Pages,
        ApiV1,
        RosterApi,
        StaffApi,
        AdminPages,
        StaffPages,
        FirstRun,
        KitchenPages,
        KitchenReports,
        KitchenApi,
        OperationsRoom,
        TicketApi,
        PackingPages,
        DevicePages,
        ItemsInPages,
        ShiftPlanPages,
        ShiftPages,
        LinePages,
        DeskPages,
        DeskEnrolment,
        BadgePages,
        CalendarPages,
        PackingReports,
        PackingApi,
        DistributionPages,
        PointPages,
        DistributionReports,
        DistributionApi,
        HouseholdImport,
        OfflineDevice,
        TrainingApi,
        TrainingPages,
        ExchangeApi,
        VolunteerImport,
        VerificationPages,
        ServicePages,
        AccountPages,
        ResetCodePages,
        WaitlistPages,
        WaitlistApi,
        InboxPages,
        PoolPages,
        AssociationPages,
        Live,
        Operations,
        static,
    ]
    guards_share_the_handler()
    app = Litestar(
        route_handlers=handlers,
        middleware=[access_log, sessions.middleware, refuse_control_characters],
        plugins=[HTMXPlugin()],
        request_class=KatfRequest,
        exception_handlers=EXCEPTION_HANDLERS,
        guards=[csrf_guard],
        before_send=[security_headers, csrf_cookie, request_id_header],
        compression_config=CompressionConfig(
            backend="gzip",
            minimum_size=512,
            exclude="^/live",
            middleware_class=SmallAnswersAsTheyAre,
        ),
        openapi_config=OpenAPIConfig(title="Katf", version="1", path="/schema"),
        logging_config=LOGGING,
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
    )
    document_errors(app)
    return app
