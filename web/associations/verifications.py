"""Registrations waiting for a check: someone registered with the national ID of a record an
association imported with another mobile number, never claimed. The importing association's
coordinators or the operations room confirm or reject each."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.params import Body, FromPath

from coordination.areas.roster.commands import AnswerVerification
from coordination.permissions import Actor, Role
from projections.volunteer_directory import verifications
from web.platform.answers import answered
from web.platform.auth import actor_of, services_of
from web.platform.flash import take_flashes
from web.platform.guards import requires_sign_in
from web.platform.i18n import N_, gettext_for
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


def associations_checked_by(actor: Actor) -> set[str] | None:
    """Whose imports the actor checks: every one (None) for the room, or their associations."""
    if actor.is_admin or actor.has(Role.OPERATIONS_AGENT):
        return None
    coordinated = actor.scopes(Role.ASSOCIATION_COORDINATOR)
    if not coordinated:
        raise PermissionDeniedException()
    return coordinated


class VerificationPages(Controller):
    path = "/verifications"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def pending(self, request: AnyRequest) -> Response[str]:
        services = services_of(request)
        scope = associations_checked_by(actor_of(request))
        return page(
            request,
            "verifications.html",
            personal=True,
            flashes=take_flashes(request),
            rows=verifications(services.db, services.sealer, scope),
        )

    @post("/{volunteer_id:uuid}")
    async def answer(
        self, request: AnyRequest, volunteer_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        associations_checked_by(actor_of(request))
        confirms = data.get("confirms") == "1"
        said = N_("Registration confirmed.") if confirms else N_("Registration rejected.")
        done = gettext_for(locale_of(request), said)
        command = AnswerVerification(volunteer_id, confirms)
        return await answered(request, command, back="/verifications", done=done)
