"""An association's page for its coordinators: volunteers, requests and offers, the ledger."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from coordination.errors import DomainError
from projections.associations import list_associations
from projections.exchange_ledger import balances, offers_in, open_requests, requests_by
from projections.shift_board import find_shifts
from projections.volunteer_directory import association_roster
from web.platform.auth import actor_of, services_of
from web.platform.errors import message_of
from web.platform.fields import count_of, point_of
from web.platform.flash import flash, take_flashes
from web.platform.guards import check_association, requires_sign_in
from web.platform.messages import OFFER_STATE_NAMES
from web.platform.render import locale_of, page

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
        offers = offers_in(services.db, [r["request_id"] for r in mine])
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

    @post("/requests", sync_to_thread=True)
    def ask(self, request: AnyRequest, association_id: FromPath[UUID], data: Form) -> Redirect:
        return self._command(
            request,
            association_id,
            lambda app, actor: app.request_volunteers(
                actor,
                association_id,
                point_of(data.get("shift_id", "")) or association_id,
                count_of(data.get("asked", "")),
                data.get("note", ""),
            ),
        )

    @post("/requests/{request_id:uuid}/{action:str}", sync_to_thread=True)
    def act(
        self,
        request: AnyRequest,
        association_id: FromPath[UUID],
        request_id: FromPath[UUID],
        action: FromPath[str],
        data: Form,
    ) -> Redirect:
        """``offer`` one of our volunteers to another association; ``accept`` or ``decline``
        an offer made to us."""
        volunteer = point_of(data.get("volunteer_id", "")) or association_id
        commands = {
            "offer": lambda app, actor: app.offer_volunteer(actor, request_id, volunteer),
            "accept": lambda app, actor: app.accept_offer(actor, request_id, volunteer),
            "decline": lambda app, actor: app.decline_offer(actor, request_id, volunteer),
        }
        command = commands.get(action)
        check_association(actor_of(request), services_of(request).db, association_id)
        if command is None:
            return Redirect(f"/associations/{association_id}", status_code=303)
        return self._command(request, association_id, command)

    def _command(self, request: AnyRequest, association_id: UUID, command: Any) -> Redirect:
        services = services_of(request)
        check_association(actor_of(request), services.db, association_id)
        try:
            command(services.app, actor_of(request))
        except DomainError as error:
            flash(request, "error", message_of(error, locale_of(request)))
        if services.settings.embedded_projections:
            services.runner.catch_up()
        return Redirect(f"/associations/{association_id}", status_code=303)
