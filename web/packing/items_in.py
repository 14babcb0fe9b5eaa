"""Donated items coming into a site: the form that records them, and what the site holds."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from coordination.areas.distribution.commands import TakeIn
from coordination.stock import Item
from projections.stadium import stock_of_site
from web.platform.answers import answered
from web.platform.auth import actor_of, services_of
from web.platform.fields import count_of
from web.platform.guards import check_packing_site, requires_sign_in
from web.platform.i18n import N_, gettext_for
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


class ItemsInPages(Controller):
    path = "/packing/{site_id:uuid}/items-in"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def items(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        db = services_of(request).db
        site = check_packing_site(actor_of(request), db, site_id)
        return page(
            request,
            "items_in.html",
            personal=True,
            site=site,
            items=[item.value for item in Item],
            stock=stock_of_site(db, str(site_id)),
        )

    @post("/")
    async def take_in(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        check_packing_site(actor_of(request), services_of(request).db, site_id)
        command = TakeIn(
            site_id,
            data.get("item", ""),
            count_of(data.get("count", "")),
            data.get("idempotency_key", ""),
        )
        locale = locale_of(request)
        return await answered(
            request,
            command,
            back=f"/packing/{site_id}/items-in",
            done=lambda on_hand: gettext_for(
                locale, N_("Recorded. On hand now: %(on_hand)s"), on_hand=on_hand
            ),
        )
