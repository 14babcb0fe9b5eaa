"""A person's own account from their profile: changing the password."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from coordination.areas.accounts.commands import ChangePassword
from web.platform.answers import answered
from web.platform.guards import requires_volunteer
from web.platform.i18n import gettext_for
from web.platform.messages import OUTCOME_MESSAGES
from web.platform.render import locale_of

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


class AccountPages(Controller):
    path = "/profile"
    guards = [requires_volunteer]

    @post("/password")
    async def change_password(self, request: AnyRequest, data: Form) -> Response[Any]:
        """The current password and the new one; the answer is said on the profile."""
        command = ChangePassword(data.get("current_password", ""), data.get("new_password", ""))
        done = gettext_for(locale_of(request), OUTCOME_MESSAGES["password_changed"])
        return await answered(request, command, back="/profile", done=done)
