"""The JSON API of the operations room, for agents' tools and partner systems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, FromQuery, JSONBody

from coordination.areas.tickets import commands
from projections.ticket_queue import timeline
from web.platform.answers import decided
from web.platform.auth import actor_of, services_of
from web.platform.guards import check_desk, queue_for, requires_sign_in, ticket_for

AnyRequest = Request[Any, Any, Any]


@dataclass
class NewTicket:
    channel: str
    category: str
    governorate: str
    description: str
    contact_name: str = ""
    contact_phone: str = ""
    links: dict[str, str] = field(default_factory=dict)


@dataclass
class Triage:
    priority: str
    category: str = ""


@dataclass
class Assignment:
    kind: str
    assignee_id: UUID


@dataclass
class Text:
    text: str


class TicketApi(Controller):
    path = "/api/v1/tickets"
    tags = ["operations"]
    guards = [requires_sign_in]
    cache_control = CacheControlHeader(no_store=True)

    @post("/", status_code=201)
    async def open_ticket(self, request: AnyRequest, data: JSONBody[NewTicket]) -> dict[str, str]:
        command = commands.OpenTicket(
            data.channel,
            data.category,
            data.governorate,
            data.description,
            data.contact_name,
            data.contact_phone,
            data.links,
        )
        return {"id": str(await decided(request, command))}

    @get("/", sync_to_thread=True)
    def queue(
        self,
        request: AnyRequest,
        governorate: FromQuery[str] = "",
        category: FromQuery[str] = "",
        status: FromQuery[str] = "",
        assignee: FromQuery[str] = "",
    ) -> list[dict[str, Any]]:
        actor = actor_of(request)
        check_desk(actor)
        return queue_for(
            actor,
            services_of(request),
            {
                "governorate": governorate,
                "category": category,
                "status": status,
                "assignee_id": assignee,
            },
        )

    @get("/{ticket_id:uuid}", sync_to_thread=True)
    def ticket(self, request: AnyRequest, ticket_id: FromPath[UUID]) -> dict[str, Any]:
        services = services_of(request)
        shown = ticket_for(actor_of(request), services, str(ticket_id))
        return {**shown, "timeline": timeline(services.db, services.sealer, str(ticket_id))}

    @post("/{ticket_id:uuid}/triage", status_code=200)
    async def triage(
        self, request: AnyRequest, ticket_id: FromPath[UUID], data: JSONBody[Triage]
    ) -> dict[str, str]:
        await decided(request, commands.Triage(ticket_id, data.priority, data.category))
        return {"status": "triaged"}

    @post("/{ticket_id:uuid}/assign", status_code=200)
    async def assign(
        self, request: AnyRequest, ticket_id: FromPath[UUID], data: JSONBody[Assignment]
    ) -> dict[str, str]:
        await decided(request, commands.Assign(ticket_id, data.kind, data.assignee_id))
        return {"status": "assigned"}

    @post("/{ticket_id:uuid}/acknowledge", status_code=200)
    async def acknowledge(self, request: AnyRequest, ticket_id: FromPath[UUID]) -> dict[str, str]:
        await decided(request, commands.Acknowledge(ticket_id))
        return {"status": "acknowledged"}

    @post("/{ticket_id:uuid}/notes", status_code=200)
    async def note(
        self, request: AnyRequest, ticket_id: FromPath[UUID], data: JSONBody[Text]
    ) -> dict[str, str]:
        await decided(request, commands.AddNote(ticket_id, data.text))
        return {"status": "noted"}

    @post("/{ticket_id:uuid}/escalate", status_code=200)
    async def escalate(self, request: AnyRequest, ticket_id: FromPath[UUID]) -> dict[str, str]:
        await decided(request, commands.Escalate(ticket_id))
        return {"status": "escalated"}

    @post("/{ticket_id:uuid}/resolve", status_code=200)
    async def resolve(
        self, request: AnyRequest, ticket_id: FromPath[UUID], data: JSONBody[Text]
    ) -> dict[str, str]:
        await decided(request, commands.Resolve(ticket_id, data.text))
        return {"status": "resolved"}

    @post("/{ticket_id:uuid}/reopen", status_code=200)
    async def reopen(
        self, request: AnyRequest, ticket_id: FromPath[UUID], data: JSONBody[Text]
    ) -> dict[str, str]:
        await decided(request, commands.Reopen(ticket_id, data.text))
        return {"status": "reopened"}
