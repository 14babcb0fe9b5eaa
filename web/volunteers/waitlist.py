"""Joining and leaving a full shift's waitlist, from the shift's card and by the JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody

from coordination.areas.sign_ups.commands import JoinWaitlist, LeaveWaitlist, WaitlistPlace
from projections.my_shifts import shift_ids_of
from projections.shift_board import get_shift
from projections.waitlists import positions_of
from web.platform.answers import Outcome, answered, decided
from web.platform.auth import actor_of, resolved_actor, services_of, volunteer_of
from web.platform.guards import requires_sign_in, requires_volunteer
from web.platform.i18n import N_, gettext_for
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]

JOINED = N_("You are number %(position)s on the waitlist.")
LEFT = N_("You have left the waitlist.")


@dataclass
class WaitlistRequest:
    volunteer_id: UUID


def safe_back(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/shifts"


class WaitlistPages(Controller):
    path = "/shifts/{shift_id:uuid}/waitlist"
    guards = [requires_volunteer]

    @post("/")
    async def join(
        self, request: AnyRequest, shift_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        volunteer_id = volunteer_of(await resolved_actor(request))
        back = safe_back(data.get("next"))
        return await answered(
            request,
            JoinWaitlist(shift_id, volunteer_id),
            back=back,
            done=lambda place: said(request, JOINED, position=place.position),
            fragment=lambda outcome: card(request, shift_id, back, outcome),
            as_json=place_json,
        )

    @post("/leave")
    async def leave(
        self, request: AnyRequest, shift_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        volunteer_id = volunteer_of(await resolved_actor(request))
        back = safe_back(data.get("next"))
        return await answered(
            request,
            LeaveWaitlist(shift_id, volunteer_id),
            back=back,
            done=said(request, LEFT),
            fragment=lambda outcome: card(request, shift_id, back, outcome),
            as_json=place_json,
        )


class WaitlistApi(Controller):
    path = "/api/v1/shifts/{shift_id:uuid}/waitlist"
    guards = [requires_sign_in]

    @post("/", status_code=200)
    async def join(
        self, request: AnyRequest, shift_id: FromPath[UUID], data: JSONBody[WaitlistRequest]
    ) -> dict[str, Any]:
        return place_json(await decided(request, JoinWaitlist(shift_id, data.volunteer_id)))

    @delete("/{volunteer_id:uuid}", status_code=200)
    async def leave(
        self, request: AnyRequest, shift_id: FromPath[UUID], volunteer_id: FromPath[UUID]
    ) -> dict[str, Any]:
        return place_json(await decided(request, LeaveWaitlist(shift_id, volunteer_id)))


def place_json(place: WaitlistPlace) -> dict[str, Any]:
    return {
        "shift_id": str(place.shift_id),
        "volunteer_id": str(place.volunteer_id),
        "position": place.position,
    }


def said(request: AnyRequest, sentence: str, **values: Any) -> str:
    return gettext_for(locale_of(request), sentence, **values)


def card(request: AnyRequest, shift_id: UUID, back: str, outcome: Outcome) -> Response[Any]:
    """The shift's card again, with the person's place in its line."""
    db = services_of(request).db
    row = get_shift(db, str(shift_id))
    if row is None:
        return Response("", status_code=200, headers={"HX-Redirect": back})
    volunteer = str(actor_of(request).volunteer_id)
    joined = outcome.ok and outcome.result.position is not None  # the card says the place
    notice = None if joined else ["success" if outcome.ok else "error", outcome.notice]
    return page(
        request,
        "_shift_card.html",
        status_code=outcome.status,
        personal=True,
        shift=row,
        mine=shift_ids_of(db, volunteer),
        positions=positions_of(db, volunteer),
        volunteer=volunteer,
        notice=notice,
        query=back.partition("?")[2],
    )
