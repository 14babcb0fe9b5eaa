"""A person's own account from their profile: their details, their password."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from coordination.areas.accounts.commands import (
    ChangeMyDetails,
    ChangeMyEmail,
    ChangePassword,
    ChooseMessageLanguage,
)
from coordination.errors import DomainError
from coordination.registration import DetailsRefused
from coordination.volunteer import clean_full_name
from projections.associations import list_associations
from projections.outbox import VIEW as OUTBOX
from projections.outbox import message_email, message_language
from projections.volunteer_directory import VIEW as VOLUNTEER_DIRECTORY
from projections.volunteer_directory import find_volunteer
from web.platform.answers import answered, caught_up, wants_fragment
from web.platform.auth import actor_of, resolved_actor, services_of
from web.platform.errors import message_of, status_of
from web.platform.flash import flash, take_flashes
from web.platform.guards import requires_volunteer
from web.platform.i18n import gettext_for
from web.platform.messages import ERROR_MESSAGES, OUTCOME_MESSAGES
from web.platform.render import locale_of, page
from web.platform.seen import remember_write, wait_for_own_write

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]
DETAILS = ("full_name", "governorate", "association_id")


class AccountPages(Controller):
    path = "/profile"
    guards = [requires_volunteer]

    @get("/", sync_to_thread=True)
    def profile(self, request: AnyRequest) -> Response[Any]:
        wait_for_own_write(request, (VOLUNTEER_DIRECTORY, OUTBOX))
        return _profile(request, "profile.html", None, {}, 200, flashes=take_flashes(request))

    @post("/details")
    async def change_details(self, request: AnyRequest, data: Form) -> Response[Any]:
        """Name, home governorate and home association; a refusal keeps what was typed and
        names every mistake at once, on the page or in the htmx fragment."""
        form = {key: data.get(key, "").strip() for key in DETAILS}
        locale = locale_of(request)
        try:
            association = UUID(form["association_id"]) if form["association_id"] else None
        except ValueError:
            message = gettext_for(locale, ERROR_MESSAGES["association_not_found"])
            return await _refused(request, form, {"association_id": message}, 422)
        command = ChangeMyDetails(form["full_name"], form["governorate"], association)
        try:
            await services_of(request).dispatcher.dispatch(command, await resolved_actor(request))
        except DetailsRefused as refused:
            errors = {field: message_of(error, locale) for field, error in refused.errors.items()}
            return await _refused(request, form, errors, status_of(refused))
        except DomainError as error:
            return await _refused(request, form, {"": message_of(error, locale)}, status_of(error))
        await caught_up(request)
        done = gettext_for(locale, OUTCOME_MESSAGES["details_changed"])
        if wants_fragment(request):
            shown = {**form, "association_id": str(association) if association else None}
            return await sync_to_thread(
                _profile, request, "_my_details.html", shown, {}, 200, notice=done
            )
        await sync_to_thread(remember_write, request)
        flash(request, "success", done)
        return Redirect("/profile", status_code=303)

    @post("/password")
    async def change_password(self, request: AnyRequest, data: Form) -> Response[Any]:
        """The current password and the new one; the answer is said on the profile."""
        command = ChangePassword(data.get("current_password", ""), data.get("new_password", ""))
        done = gettext_for(locale_of(request), OUTCOME_MESSAGES["password_changed"])
        return await answered(request, command, back="/profile", done=done)

    @post("/language")
    async def choose_language(self, request: AnyRequest, data: Form) -> Response[Any]:
        """The language the volunteer's text messages are written in."""
        command = ChooseMessageLanguage(data.get("language", ""))
        done = gettext_for(locale_of(request), OUTCOME_MESSAGES["message_language_chosen"])
        return await answered(request, command, back="/profile", done=done)

    @post("/email")
    async def change_email(self, request: AnyRequest, data: Form) -> Response[Any]:
        """The address the volunteer's messages also go to; a refusal keeps what was typed."""
        typed = data.get("email", "").strip()
        locale = locale_of(request)
        try:
            await services_of(request).dispatcher.dispatch(
                ChangeMyEmail(typed), await resolved_actor(request)
            )
        except DomainError as error:
            errors = {"email": message_of(error, locale)}
            return await sync_to_thread(
                _profile, request, "profile.html", None, errors, status_of(error), email_typed=typed
            )
        await caught_up(request)
        await sync_to_thread(remember_write, request)
        outcome = "email_saved" if typed else "email_removed"
        flash(request, "success", gettext_for(locale, OUTCOME_MESSAGES[outcome]))
        return Redirect("/profile", status_code=303)


async def _refused(
    request: AnyRequest, form: dict[str, str], errors: dict[str, str], status: int
) -> Response[Any]:
    template = "_my_details.html" if wants_fragment(request) else "profile.html"
    return await sync_to_thread(_profile, request, template, None, errors, status, form=form)


def _profile(
    request: AnyRequest,
    template: str,
    shown: dict[str, Any] | None,
    errors: dict[str, str],
    status: int,
    **context: Any,
) -> Response[str]:
    """The profile or its details' fragment; ``shown``: details just changed, which a view
    projected elsewhere may not hold yet."""
    services = services_of(request)
    me = find_volunteer(services.db, services.sealer, str(actor_of(request).volunteer_id))
    if me is not None and shown is not None:
        me = {**me, **shown, "full_name": clean_full_name(shown["full_name"])}
    associations = list_associations(services.db)
    context.setdefault("form", me or {})
    context.setdefault("message_language", message_language(services.db, me))
    context.setdefault("message_email", message_email(services.db, services.sealer, me))
    context.setdefault("email_typed", None)
    return page(
        request,
        template,
        status_code=status,
        personal=True,
        me=me,
        errors=errors,
        associations=associations,
        home={a["association_id"]: a for a in associations}.get((me or {}).get("association_id")),
        **context,
    )
