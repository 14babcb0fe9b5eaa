"""An association's page for its coordinators: volunteers, requests and offers, the ledger."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from coordination.areas.exchange.commands import (
    AcceptOffer,
    DeclineOffer,
    OfferVolunteer,
    RequestVolunteers,
)
from projections.associations import list_associations
from projections.exchange_ledger import balances, offers_in, open_requests, requests_by
from projections.shift_board import find_shifts
from projections.volunteer_directory import association_roster
from web.associations.offers import as_seen, volunteer_offered
from web.platform.answers import answered
from web.platform.auth import actor_of, resolved_actor, services_of
from web.platform.fields import count_of, point_of
from web.platform.flash import take_flashes
from web.platform.guards import check_association, requires_sign_in
from web.platform.messages import OFFER_STATE_NAMES
from web.platform.render import page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


class AssociationPages(Controller):
    path = "/associations/{association_id:uuid}"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def association(self, request: AnyRequest, association_id: FromPath[UUID]) -> Response[str]:
        services = services_of(request)
        association = check_association(actor_of(request), services.db, association_id)
        mine = requests_by(services.db, str(association_id))
        offers = [
            as_seen(request, o) for o in offers_in(services.db, [r["request_id"] for r in mine])
        ]
        names = {a["association_id"]: a for a in list_associations(services.db)}
        ledger = balances(services.db, str(association_id))
        return page(
            request,
            "association.html",
            personal=True,
            association=association,
            roster=association_roster(services.db, services.sealer, str(association_id)),
            mine=mine,
            offers=offers,
            others=open_requests(services.db, str(association_id)),
            ledger=ledger,
            names=names,
            shifts=find_shifts(services.db, limit=100),
            flashes=take_flashes(request),
            states=OFFER_STATE_NAMES,
        )

    @post("/requests")
    async def ask(
        self, request: AnyRequest, association_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        await self._check(request, association_id)
        command = RequestVolunteers(
            association_id,
            point_of(data.get("shift_id", "")) or association_id,
            count_of(data.get("asked", "")),
            data.get("note", ""),
        )
        return await answered(request, command, back=f"/associations/{association_id}")

    @post("/requests/{request_id:uuid}/{action:str}")
    async def act(
        self,
        request: AnyRequest,
        association_id: FromPath[UUID],
        request_id: FromPath[UUID],
        action: FromPath[str],
        data: Form,
    ) -> Response[Any]:
        """``offer`` one of our volunteers to another association; ``accept`` or ``decline``
        an offer made to us."""
        await self._check(request, association_id)
        back = f"/associations/{association_id}"
        volunteer = point_of(data.get("volunteer_id", "")) or association_id
        commands = {"offer": OfferVolunteer, "accept": AcceptOffer, "decline": DeclineOffer}
        if action not in commands:
            return Redirect(back, status_code=303)
        if action != "offer" and data.get("offer"):
            db = services_of(request).db
            found = await sync_to_thread(volunteer_offered, request, db, request_id, data["offer"])
            volunteer = found or association_id
        return await answered(request, commands[action](request_id, volunteer), back=back)

    async def _check(self, request: AnyRequest, association_id: UUID) -> None:
        actor, db = await resolved_actor(request), services_of(request).db
        await sync_to_thread(check_association, actor, db, association_id)
