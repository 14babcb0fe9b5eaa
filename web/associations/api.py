"""The JSON API of an association's roster, the volunteer exchange and the hours ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.concurrency import sync_to_thread
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, JSONBody

from coordination.areas.exchange.commands import (
    AcceptOffer,
    AnswerOffer,
    DeclineOffer,
    OfferVolunteer,
    RequestVolunteers,
)
from coordination.exchange import OfferNotFound
from coordination.identity import mask_phone
from coordination.permissions import Actor, Role
from projections.exchange_ledger import balances, history, offers_in
from projections.volunteer_directory import association_roster
from web.associations.offers import as_seen, volunteer_offered
from web.platform.answers import decided
from web.platform.auth import actor_of, services_of
from web.platform.guards import check_roster_access, requires_sign_in

AnyRequest = Request[Any, Any, Any]


@dataclass
class Ask:
    association_id: UUID
    shift_id: UUID
    asked: int
    note: str = ""


@dataclass
class Someone:
    volunteer_id: UUID


@dataclass
class Offered:
    """An offer to the asking association: by its handle (``offer`` in the request's
    history), or by the volunteer's id where the asker knows it."""

    offer: str = ""
    volunteer_id: UUID | None = None


@dataclass
class Answer:
    consents: bool


def sees_ledger(actor: Actor, association_id: str) -> bool:
    return actor.is_admin or actor.has(Role.ASSOCIATION_COORDINATOR, association_id)


def seen_step(
    request: AnyRequest, actor: Actor, step: dict[str, Any], asker: str, offers: dict[str, Any]
) -> dict[str, Any]:
    """A step of a request's history: its volunteer named by id to the national admins, to the
    volunteer's lending association, and to the asking one once it accepted them; to everyone
    else by the offer's handle only."""
    offer = offers.get(step["volunteer_id"]) if step["volunteer_id"] else None
    if offer is None:
        return step
    named = sees_ledger(actor, offer["lender_id"]) or (
        offer["state"] == "accepted" and sees_ledger(actor, asker)
    )
    handle = as_seen(request, offer)["offer"]
    return {**step, "volunteer_id": offer["volunteer_id"] if named else None, "offer": handle}


async def offered(request: AnyRequest, request_id: UUID, data: Offered) -> UUID:
    """The volunteer of the offer the asker names; an unknown handle answers 404."""
    if not data.offer:
        if data.volunteer_id is None:
            raise OfferNotFound()
        return data.volunteer_id
    db = services_of(request).db
    found = await sync_to_thread(volunteer_offered, request, db, request_id, data.offer)
    if found is None:
        raise OfferNotFound()
    return found


class ExchangeApi(Controller):
    path = "/api/v1"
    tags = ["exchange"]
    guards = [requires_sign_in]
    cache_control = CacheControlHeader(no_store=True)

    @post("/exchange/requests", status_code=201)
    async def ask(self, request: AnyRequest, data: JSONBody[Ask]) -> dict[str, str]:
        command = RequestVolunteers(data.association_id, data.shift_id, data.asked, data.note)
        return {"request_id": str(await decided(request, command))}

    @post("/exchange/requests/{request_id:uuid}/offers", status_code=200)
    async def offer(
        self, request: AnyRequest, request_id: FromPath[UUID], data: JSONBody[Someone]
    ) -> dict[str, Any]:
        offered = await decided(request, OfferVolunteer(request_id, data.volunteer_id))
        return {"offered": offered}

    @post("/exchange/requests/{request_id:uuid}/answer", status_code=200)
    async def answer(
        self, request: AnyRequest, request_id: FromPath[UUID], data: JSONBody[Answer]
    ) -> dict[str, Any]:
        changed = await decided(request, AnswerOffer(request_id, data.consents))
        return {"consents": data.consents, "changed": changed}

    @post("/exchange/requests/{request_id:uuid}/acceptances", status_code=200)
    async def accept(
        self, request: AnyRequest, request_id: FromPath[UUID], data: JSONBody[Offered]
    ) -> dict[str, str]:
        volunteer = await offered(request, request_id, data)
        lender = await decided(request, AcceptOffer(request_id, volunteer))
        return {"volunteer_id": str(volunteer), "lender_id": str(lender)}

    @post("/exchange/requests/{request_id:uuid}/declines", status_code=200)
    async def decline(
        self, request: AnyRequest, request_id: FromPath[UUID], data: JSONBody[Offered]
    ) -> dict[str, str]:
        await decided(request, DeclineOffer(request_id, await offered(request, request_id, data)))
        named = {"volunteer_id": str(data.volunteer_id)} if data.volunteer_id else {}
        return {**named, "offer": data.offer, "state": "declined"}

    @get("/exchange/requests/{request_id:uuid}", sync_to_thread=True)
    def history(self, request: AnyRequest, request_id: FromPath[UUID]) -> dict[str, Any]:
        """The whole history of a request, step by step, for the associations in it."""
        row, steps = history(services_of(request).db, str(request_id))
        if row is None:
            raise NotFoundException()
        actor = actor_of(request)
        parties = {row["association_id"], *(s["detail"] for s in steps if s["step"] == "offered")}
        if not any(sees_ledger(actor, party) for party in parties if party):
            raise PermissionDeniedException()
        offers = {
            o["volunteer_id"]: o for o in offers_in(services_of(request).db, [row["request_id"]])
        }
        asker = row["association_id"]
        return {
            "request": row,
            "steps": [seen_step(request, actor, s, asker, offers) for s in steps],
        }

    @get("/associations/{association_id:uuid}/ledger", sync_to_thread=True)
    def ledger(self, request: AnyRequest, association_id: FromPath[UUID]) -> dict[str, Any]:
        if not sees_ledger(actor_of(request), str(association_id)):
            raise PermissionDeniedException()
        return balances(services_of(request).db, str(association_id))


class RosterApi(Controller):
    path = "/api/v1"
    cache_control = CacheControlHeader(no_store=True)
    tags = ["v1"]

    @get(
        "/associations/{association_id:uuid}/volunteers",
        guards=[requires_sign_in],
        sync_to_thread=True,
    )
    def roster(self, request: AnyRequest, association_id: FromPath[UUID]) -> list[dict[str, Any]]:
        full = check_roster_access(actor_of(request), str(association_id))
        services = services_of(request)
        rows = association_roster(services.db, services.sealer, str(association_id))
        if not full:
            rows = [{**row, "phone": mask_phone(row["phone"])} for row in rows]
        return rows
