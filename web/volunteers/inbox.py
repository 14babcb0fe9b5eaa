"""The volunteer's inbox: what happened to their shifts and places, newest first."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post

from coordination.areas.sign_ups.commands import ReadInbox
from projections.inbox import VIEW as INBOX
from projections.inbox import messages_of
from web.platform.answers import answered
from web.platform.auth import actor_of, resolved_actor, services_of, volunteer_of
from web.platform.guards import requires_volunteer
from web.platform.i18n import N_
from web.platform.render import page
from web.platform.seen import wait_for_own_write

AnyRequest = Request[Any, Any, Any]

# What each kind of message says; the shift is named beside it.
SENTENCES: dict[str, str] = {
    "signed_up": N_("You are signed up for this shift."),
    "promoted": N_(
        "A place came free and it is yours: you are now on this shift."
        " If you can no longer come, give the place back so the next volunteer gets it."
    ),
    "retimed": N_("The times of this shift changed."),
    "lost_cancelled": N_("This shift was cancelled."),
    "waitlist_cancelled": N_("The shift you were waiting for was cancelled."),
    "lost_removed": N_("You were taken off this shift."),
    "lost_moved": N_("You were moved from this shift to another."),
    "lost_no_show": N_(
        "This shift began without you, so your place went to a volunteer who was waiting."
    ),
    "placed": N_("Your place on your shift is set:"),
}


class InboxPages(Controller):
    path = "/inbox"
    guards = [requires_volunteer]

    @get("/", sync_to_thread=True)
    def inbox(self, request: AnyRequest) -> Response[Any]:
        wait_for_own_write(request, (INBOX,))
        volunteer = str(volunteer_of(actor_of(request)))
        messages = messages_of(services_of(request).db, volunteer)
        return page(
            request,
            "inbox.html",
            personal=True,
            messages=messages,
            sentences=SENTENCES,
            unread_here=sum(1 for m in messages if m["read_at"] is None),
        )

    @post("/read")
    async def read(self, request: AnyRequest) -> Response[Any]:
        volunteer_id = volunteer_of(await resolved_actor(request))
        return await answered(request, ReadInbox(volunteer_id), back="/inbox")
