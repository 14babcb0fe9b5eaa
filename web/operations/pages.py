"""The operations room: the live queue, a ticket's timeline and actions, statistics, report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, PermissionDeniedException, ValidationException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect

from coordination.areas.tickets.commands import (
    Acknowledge,
    AddNote,
    Assign,
    Escalate,
    OpenTicket,
    Reopen,
    Resolve,
    Triage,
)
from coordination.areas.tickets.policy import may_open_tickets, room_staff, ticket_actions
from coordination.permissions import Role
from coordination.ticket_policy import AssigneeKind, Category, Channel, Priority
from projections.ticket_queue import opened_between, statistics, timeline
from web.operations.labels import (
    assignee_called,
    assignee_choices,
    assignee_name,
    deadline,
    step_detail,
)
from web.platform.answers import answered, caught_up, dispatched
from web.platform.auth import actor_of, resolved_actor, services_of
from web.platform.delivery_report import delivery_report
from web.platform.downloads import csv_response, xlsx_response
from web.platform.guards import (
    assignee_of,
    check_desk,
    queue_for,
    requires_sign_in,
    shown_to,
    ticket_for,
)
from web.platform.render import locale_of, page
from web.platform.seen import remember_write

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


def assignee_choices_in(
    db: Any, locale: str, *queues: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """The assignees of the tickets shown, by name, to filter the queue by (never an id typed)."""
    found = {
        (row["assignee_kind"], row["assignee_id"])
        for queue in queues
        for row in queue
        if row["assignee_id"]
    }
    named = [(assignee, assignee_name(db, locale, kind, assignee)) for kind, assignee in found]
    return sorted(named, key=lambda choice: choice[1])


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


def step(ticket_id: UUID, action: str, data: dict[str, str]) -> Any:
    """The command a ticket page's form asks for."""
    text = data.get("text", "")
    steps = {
        "triage": lambda: Triage(ticket_id, data.get("priority", ""), data.get("category", "")),
        "assign": lambda: Assign(
            ticket_id, data.get("kind", ""), UUID(data.get("assignee_id", "").strip())
        ),
        "acknowledge": lambda: Acknowledge(ticket_id),
        "note": lambda: AddNote(ticket_id, text),
        "escalate": lambda: Escalate(ticket_id),
        "resolve": lambda: Resolve(ticket_id, text),
        "reopen": lambda: Reopen(ticket_id, text),
    }
    if action not in steps:
        raise NotFoundException()
    try:
        return steps[action]()
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

    @post("/tickets")
    async def open_ticket(self, request: AnyRequest, data: Form) -> Response[Any]:
        """A refused ticket is shown again with its reason and what was typed."""
        if not may_open_tickets(await resolved_actor(request)):
            raise PermissionDeniedException()
        command = OpenTicket(
            data.get("channel", ""),
            data.get("category", ""),
            data.get("governorate", ""),
            data.get("description", ""),
            data.get("contact_name", ""),
            data.get("contact_phone", ""),
        )
        outcome = await dispatched(request, command)
        if outcome.ok:  # the ticket's page, next, shows the ticket: never "not found"
            await caught_up(request)
            await sync_to_thread(remember_write, request)
            return Redirect(f"/operations/tickets/{outcome.result}", status_code=303)
        return await sync_to_thread(
            lambda: page(
                request,
                "operations.html",
                status_code=outcome.status,
                personal=True,
                error=outcome.notice,
                form=data,
                **self._queue(request),
            )
        )

    @get("/tickets/{ticket_id:uuid}", sync_to_thread=True)
    def ticket(self, request: AnyRequest, ticket_id: FromPath[UUID]) -> Response[str]:
        """``?kind=&q=`` searches assignees by name: the picker without JavaScript."""
        return page(request, "ticket.html", personal=True, **self._ticket(request, ticket_id))

    @get("/tickets/{ticket_id:uuid}/assignees", sync_to_thread=True)
    def assignees(self, request: AnyRequest, ticket_id: FromPath[UUID]) -> Response[str]:
        """The picker's choices for the search typed so far (htmx)."""
        context = self._ticket(request, ticket_id)
        if "assign" not in context["actions"]:
            raise PermissionDeniedException()
        return page(request, "_ticket_assignee_choice.html", personal=True, **context)

    @post("/tickets/{ticket_id:uuid}/{action:str}")
    async def act(
        self, request: AnyRequest, ticket_id: FromPath[UUID], action: FromPath[str], data: Form
    ) -> Response[Any]:
        actor, services = await resolved_actor(request), services_of(request)
        await sync_to_thread(ticket_for, actor, services, str(ticket_id))
        command = step(ticket_id, action, data)
        return await answered(request, command, back=f"/operations/tickets/{ticket_id}")

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
        locale = locale_of(request)
        assignees = [{**row, "name": assignee_called(db, locale, row["key"])} for row in assignees]
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
        now, services = datetime.now(UTC), services_of(request)
        rows = [
            {**row, "urgency": urgency(row, now)} for row in queue_for(actor, services, filters)
        ]
        unpicked = queue_for(actor, services, {**filters, "assignee_id": ""})
        return {
            "tickets": rows,
            "assignees": assignee_choices_in(services.db, locale_of(request), unpicked, rows),
            "filters": filters,
            "channels": list(Channel),
            "categories": list(Category),
            "may_open": may_open_tickets(actor),
            "live_key": "tickets",
        }

    def _ticket(self, request: AnyRequest, ticket_id: UUID) -> dict[str, Any]:
        services, actor, locale = services_of(request), actor_of(request), locale_of(request)
        db, now = services.db, datetime.now(UTC)
        ticket = ticket_for(actor, services, str(ticket_id))
        running = ticket["status"] != "resolved"
        kind = request.query_params.get("kind", AssigneeKind.ASSOCIATION)
        kind = kind if kind in set(AssigneeKind) else AssigneeKind.ASSOCIATION
        query = request.query_params.get("q", "")
        return {
            "ticket": {**ticket, "urgency": urgency(ticket, now)},
            "assignee": assignee_name(db, locale, ticket["assignee_kind"], ticket["assignee_id"]),
            "response_due": deadline(
                ticket["response_due"],
                now,
                locale,
                running=running and not ticket["acknowledged_at"],
            ),
            "resolution_due": deadline(ticket["resolution_due"], now, locale, running=running),
            "timeline": [
                {**step, "said": step_detail(db, locale, step)}
                for step in timeline(db, services.sealer, str(ticket_id))
            ],
            "actions": ticket_actions(
                actor,
                ticket["governorate"],
                assignee_of(ticket),
                ticket["status"],
                ticket["priority"] is not None,
            ),
            "priorities": list(Priority),
            "categories": list(Category),
            "assignee_kinds": list(AssigneeKind),
            "kind": kind,
            "query": query,
            "choices": assignee_choices(db, locale, kind, query, ticket["governorate"]),
            "live_key": f"ticket:{ticket_id}",
            "delivery": delivery_report(db, services.sealer, ticket_id),
        }
