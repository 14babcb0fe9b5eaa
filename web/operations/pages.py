"""The operations room: the live queue, a ticket's timeline and actions, statistics, report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect

from coordination.commands.tickets import room_staff
from coordination.errors import DomainError
from coordination.permissions import Role
from coordination.ticket_policy import Category, Channel, Priority
from projections.ticket_queue import opened_between, statistics, timeline
from web.platform.auth import actor_of, services_of
from web.platform.downloads import csv_response, xlsx_response
from web.platform.errors import message_of, status_of
from web.platform.guards import check_desk, queue_for, requires_sign_in, shown_to, ticket_for
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]
FILTERS = ("governorate", "category", "status", "assignee_id")
REPORT_COLUMNS = (
    "ticket_id",
    "opened_at",
    "channel",
    "category",
    "priority",
    "governorate",
    "status",
    "assignee_kind",
    "assignee_id",
    "escalations",
    "resolution_seconds",
)
SOON = timedelta(hours=1)


def urgency(ticket: dict[str, Any], now: datetime) -> str:
    """``overdue``, ``soon`` (within the hour) or ``""`` for the highlight in the queue."""
    if ticket["status"] == "resolved":
        return ""
    dues = [ticket["resolution_due"]]
    if not ticket["acknowledged_at"]:
        dues.append(ticket["response_due"])
    moments = [datetime.fromisoformat(d) for d in dues if d]
    if any(now > m for m in moments):
        return "overdue"
    return "soon" if any(m - now < SOON for m in moments) else ""


def act(app: Any, actor: Any, ticket_id: UUID, action: str, data: dict[str, str]) -> None:
    actions = {
        "triage": lambda: app.triage(
            actor, ticket_id, data.get("priority", ""), data.get("category", "")
        ),
        "assign": lambda: app.assign(
            actor, ticket_id, data.get("kind", ""), UUID(data.get("assignee_id", "").strip())
        ),
        "acknowledge": lambda: app.acknowledge(actor, ticket_id),
        "note": lambda: app.add_note(actor, ticket_id, data.get("text", "")),
        "escalate": lambda: app.escalate(actor, ticket_id),
        "resolve": lambda: app.resolve(actor, ticket_id, data.get("text", "")),
        "reopen": lambda: app.reopen(actor, ticket_id, data.get("text", "")),
    }
    if action not in actions:
        raise NotFoundException()
    try:
        actions[action]()
    except ValueError:
        raise ValidationException("assignee_id") from None


class OperationsRoom(Controller):
    path = "/operations"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def queue(self, request: AnyRequest) -> Response[str]:
        return page(request, "operations.html", personal=True, **self._queue(request))

    @get("/panel", sync_to_thread=True)
    def queue_panel(self, request: AnyRequest) -> Response[str]:
        return page(request, "_operations_queue.html", personal=True, **self._queue(request))

    @post("/tickets", sync_to_thread=True)
    def open_ticket(self, request: AnyRequest, data: Form) -> Response[Any]:
        try:
            ticket = services_of(request).app.open_ticket(
                actor_of(request),
                data.get("channel", ""),
                data.get("category", ""),
                data.get("governorate", ""),
                data.get("description", ""),
                data.get("contact_name", ""),
                data.get("contact_phone", ""),
            )
        except DomainError as error:
            return page(
                request,
                "operations.html",
                status_code=status_of(error),
                personal=True,
                error=message_of(error, locale_of(request)),
                form=data,
                **self._queue(request),
            )
        return Redirect(f"/operations/tickets/{ticket}", status_code=303)

    @get("/tickets/{ticket_id:uuid}", sync_to_thread=True)
    def ticket(self, request: AnyRequest, ticket_id: FromPath[UUID]) -> Response[str]:
        return page(request, "ticket.html", personal=True, **self._ticket(request, ticket_id))

    @post("/tickets/{ticket_id:uuid}/{action:str}", sync_to_thread=True)
    def act(
        self, request: AnyRequest, ticket_id: FromPath[UUID], action: FromPath[str], data: Form
    ) -> Response[Any]:
        services, actor = services_of(request), actor_of(request)
        ticket_for(actor, services, str(ticket_id))
        try:
            act(services.app, actor, ticket_id, action, data)
        except DomainError as error:
            return page(
                request,
                "ticket.html",
                status_code=status_of(error),
                personal=True,
                error=message_of(error, locale_of(request)),
                **self._ticket(request, ticket_id),
            )
        return Redirect(f"/operations/tickets/{ticket_id}", status_code=303)

    @get("/statistics", sync_to_thread=True)
    def statistics(self, request: AnyRequest) -> Response[str]:
        actor = actor_of(request)
        check_desk(actor)
        db = services_of(request).db
        governorates = statistics(db, "governorate")
        assignees = statistics(db, "assignee")
        if not room_staff(actor):
            mine = actor.scopes(Role.GOVERNORATE_COORDINATOR)
            own = actor.scopes(Role.ASSOCIATION_COORDINATOR) | actor.scopes(Role.SITE_MANAGER)
            governorates = [row for row in governorates if row["key"] in mine]
            assignees = [row for row in assignees if row["key"] in own]
        return page(
            request,
            "operations_statistics.html",
            personal=True,
            governorates=governorates,
            assignees=assignees,
        )

    @get("/report/{kind:str}", sync_to_thread=True)
    def weekly_report(
        self, request: AnyRequest, kind: FromPath[str], week: FromQuery[str | None] = None
    ) -> Response[bytes]:
        actor = actor_of(request)
        check_desk(actor)
        try:
            start = date.fromisoformat(week) if week else datetime.now(UTC).date()
        except ValueError:
            raise ValidationException("week must be YYYY-MM-DD") from None
        start -= timedelta(days=(start.weekday() + 2) % 7)  # weeks start on Saturday
        end = start + timedelta(days=7)
        services = services_of(request)
        rows = [
            shown_to(actor, row)
            for row in opened_between(
                services.db, services.sealer, start.isoformat(), end.isoformat()
            )
        ]
        visible = {row["ticket_id"] for row in queue_for(actor, services, {})}
        rows = [row for row in rows if room_staff(actor) or row["ticket_id"] in visible]
        name = f"tickets-{start.isoformat()}"
        if kind == "csv":
            return csv_response(rows, REPORT_COLUMNS, name)
        if kind == "xlsx":
            return xlsx_response(rows, REPORT_COLUMNS, name)
        raise NotFoundException()

    def _queue(self, request: AnyRequest) -> dict[str, Any]:
        actor = actor_of(request)
        check_desk(actor)
        filters = {key: request.query_params.get(key, "") for key in FILTERS}
        now = datetime.now(UTC)
        rows = [
            {**row, "urgency": urgency(row, now)}
            for row in queue_for(actor, services_of(request), filters)
        ]
        return {
            "tickets": rows,
            "filters": filters,
            "channels": list(Channel),
            "categories": list(Category),
            "may_open": room_staff(actor) or bool(actor.scopes(Role.GOVERNORATE_COORDINATOR)),
            "live_key": "tickets",
        }

    def _ticket(self, request: AnyRequest, ticket_id: UUID) -> dict[str, Any]:
        services, actor = services_of(request), actor_of(request)
        ticket = ticket_for(actor, services, str(ticket_id))
        return {
            "ticket": {**ticket, "urgency": urgency(ticket, datetime.now(UTC))},
            "timeline": timeline(services.db, services.sealer, str(ticket_id)),
            "priorities": list(Priority),
            "categories": list(Category),
            "live_key": f"ticket:{ticket_id}",
        }
