"""Campaign administration pages: the admin's home, sites, associations and campaign rounds.

The national admin administers everything; a governorate coordinator the sites of their
governorate. Every change is a command, and each object's page shows its history.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import Body, FromPath
from litestar.response import Redirect

from coordination.areas.administration.commands import CloseSite, EditAssociation, EditSite
from coordination.areas.distribution.commands import OpenRound
from coordination.areas.sites.commands import FoundAssociation, OpenSite
from coordination.association import Association
from coordination.campaign_round import DEFAULT_ALLOWANCES, CampaignRound
from coordination.governorates import GOVERNORATES, Governorate
from coordination.permissions import Actor, Role
from coordination.site import Site, SiteKind
from projections.campaign_admin import (
    admin_association,
    admin_associations,
    admin_round,
    admin_rounds,
    admin_site,
    admin_sites,
    staff_accounts,
)
from projections.database import Database, Row
from web.admin.history import history
from web.admin.labels import ASSOCIATION_KIND_NAMES
from web.platform.answers import answered, caught_up, dispatched
from web.platform.auth import actor_of, services_of
from web.platform.fields import count_of, decimal_of
from web.platform.flash import flash
from web.platform.guards import requires_admin, requires_administration
from web.platform.i18n import N_, gettext_for
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


def governorates_of(actor: Actor) -> set[str] | None:
    """The governorates the actor administers; None for all of them."""
    return None if actor.is_admin else actor.scopes(Role.GOVERNORATE_COORDINATOR)


def governed(request: AnyRequest, found: Row | None) -> Row:
    """A site or association the actor administers: 404 when there is none, 403 when not theirs."""
    if found is None:
        raise NotFoundException()
    scope = governorates_of(actor_of(request))
    if scope is not None and found["governorate"] not in scope:
        raise PermissionDeniedException()
    return found


def associations_in(db: Database, scope: set[str] | None) -> list[Row]:
    return [a for a in admin_associations(db) if scope is None or a["governorate"] in scope]


def choosable(scope: set[str] | None) -> list[Governorate]:
    """The governorates a new site or association may be placed in."""
    return [g for g in GOVERNORATES if scope is None or g.code in scope]


def slug_of(prefix: str, key: str) -> str:
    """A form's one-time key as the new object's slug: submitting twice creates it once."""
    cleaned = re.sub(r"[^a-z0-9-]", "", key.lower())[:40]
    return f"{prefix}-{cleaned}" if cleaned else ""


def said(request: AnyRequest, sentence: str) -> str:
    return gettext_for(locale_of(request), sentence)


async def created(
    request: AnyRequest, command: Any, *, made: str, back: str, done: str
) -> Response[Any]:
    """A creation from a plain form: to the new object's page, or back to the list saying why."""
    outcome = await dispatched(request, command, done)
    await caught_up(request)
    flash(request, "success" if outcome.ok else "error", outcome.notice or "")
    return Redirect(made if outcome.ok else back, status_code=303)


class AdminPages(Controller):
    path = "/admin"
    guards = [requires_administration]

    @get("/", sync_to_thread=True)
    def home(self, request: AnyRequest) -> Response[str]:
        actor, services = actor_of(request), services_of(request)
        scope = governorates_of(actor)
        return page(
            request,
            "admin_home.html",
            personal=True,
            national=actor.is_admin,
            my_governorates=sorted(scope or ()),
            sites=admin_sites(services.db, scope),
            associations=associations_in(services.db, scope),
            rounds=admin_rounds(services.db) if actor.is_admin else [],
            staff=staff_accounts(services.db, services.sealer) if actor.is_admin else [],
        )

    @get("/sites", sync_to_thread=True)
    def sites(self, request: AnyRequest) -> Response[str]:
        actor, db = actor_of(request), services_of(request).db
        scope = governorates_of(actor)
        return page(
            request,
            "admin_sites.html",
            personal=True,
            sites=admin_sites(db, scope),
            kinds=list(SiteKind),
            choosable=choosable(scope),
        )

    @post("/sites")
    async def open_site(self, request: AnyRequest, data: Form) -> Response[Any]:
        slug = slug_of("site", data.get("key", ""))
        command = OpenSite(
            slug,
            data.get("kind", ""),
            data.get("governorate", ""),
            data.get("name_ar", ""),
            data.get("name_en", ""),
        )
        return await created(
            request,
            command,
            made=f"/admin/sites/{Site.create_id(slug)}",
            back="/admin/sites",
            done=said(request, N_("The site is open.")),
        )

    @get("/sites/{site_id:uuid}", sync_to_thread=True)
    def site(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[str]:
        services = services_of(request)
        site = governed(request, admin_site(services.db, str(site_id)))
        return page(
            request,
            "admin_site.html",
            personal=True,
            site=site,
            history=history(services, site_id, locale_of(request)),
        )

    @post("/sites/{site_id:uuid}")
    async def edit_site(
        self, request: AnyRequest, site_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        command = EditSite(
            site_id,
            data.get("name_ar", ""),
            data.get("name_en", ""),
            data.get("address", ""),
            decimal_of(data.get("latitude", "")),
            decimal_of(data.get("longitude", "")),
        )
        return await answered(
            request,
            command,
            back=f"/admin/sites/{site_id}",
            done=lambda changed: said(request, N_("Saved.") if changed else N_("Nothing changed.")),
        )

    @post("/sites/{site_id:uuid}/close")
    async def close_site(self, request: AnyRequest, site_id: FromPath[UUID]) -> Response[Any]:
        return await answered(
            request,
            CloseSite(site_id),
            back=f"/admin/sites/{site_id}",
            done=said(request, N_("The site is closed.")),
        )

    @get("/associations", sync_to_thread=True)
    def associations(self, request: AnyRequest) -> Response[str]:
        scope = governorates_of(actor_of(request))
        return page(
            request,
            "admin_associations.html",
            personal=True,
            associations=associations_in(services_of(request).db, scope),
            kinds=ASSOCIATION_KIND_NAMES,
            choosable=choosable(scope),
        )

    @post("/associations")
    async def found_association(self, request: AnyRequest, data: Form) -> Response[Any]:
        slug = slug_of("association", data.get("key", ""))
        command = FoundAssociation(
            slug,
            data.get("name_ar", ""),
            data.get("name_en", ""),
            data.get("governorate", ""),
            data.get("kind", "grassroots"),
        )
        return await created(
            request,
            command,
            made=f"/admin/associations/{Association.create_id(slug)}",
            back="/admin/associations",
            done=said(request, N_("The association is founded.")),
        )

    @get("/associations/{association_id:uuid}", sync_to_thread=True)
    def association(self, request: AnyRequest, association_id: FromPath[UUID]) -> Response[str]:
        services = services_of(request)
        association = governed(request, admin_association(services.db, str(association_id)))
        return page(
            request,
            "admin_association.html",
            personal=True,
            association=association,
            kinds=ASSOCIATION_KIND_NAMES,
            history=history(services, association_id, locale_of(request)),
        )

    @post("/associations/{association_id:uuid}")
    async def edit_association(
        self, request: AnyRequest, association_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        command = EditAssociation(
            association_id,
            data.get("name_ar", ""),
            data.get("name_en", ""),
            data.get("kind", ""),
        )
        return await answered(
            request,
            command,
            back=f"/admin/associations/{association_id}",
            done=lambda changed: said(request, N_("Saved.") if changed else N_("Nothing changed.")),
        )

    @get("/rounds", sync_to_thread=True, guards=[requires_admin])
    def rounds(self, request: AnyRequest) -> Response[str]:
        return page(
            request,
            "admin_rounds.html",
            personal=True,
            rounds=admin_rounds(services_of(request).db),
            allowances=[(str(item), allowance) for item, allowance in DEFAULT_ALLOWANCES.items()],
        )

    @post("/rounds", guards=[requires_admin])
    async def open_round(self, request: AnyRequest, data: Form) -> Response[Any]:
        slug = slug_of("round", data.get("key", ""))
        target = count_of(data.get("target", "").replace(",", "").replace("٬", ""))  # grouped
        allowances = {
            str(item): int(text) if text.isdecimal() else -1
            for item in DEFAULT_ALLOWANCES
            if (text := data.get(f"allowance_{item}", "").strip())
        }
        command = OpenRound(
            slug,
            data.get("name_ar", ""),
            data.get("name_en", ""),
            target,
            allowances,
        )
        return await created(
            request,
            command,
            made=f"/admin/rounds/{CampaignRound.create_id(slug)}",
            back="/admin/rounds",
            done=said(request, N_("The round is open.")),
        )

    @get("/rounds/{round_id:uuid}", sync_to_thread=True, guards=[requires_admin])
    def campaign_round(self, request: AnyRequest, round_id: FromPath[UUID]) -> Response[str]:
        services = services_of(request)
        found = admin_round(services.db, str(round_id))
        if found is None:
            raise NotFoundException()
        return page(
            request,
            "admin_round.html",
            personal=True,
            round=found,
            allowances=json.loads(found["allowances"]),
            history=history(services, round_id, locale_of(request)),
        )
