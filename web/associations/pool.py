"""The shared volunteer pool for association coordinators: how many volunteers each
association has, by governorate, certificate and free time, never who they are (a volunteer
is named to another association only once lent, through an exchange request)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromQuery

from coordination.calendar import CAMPAIGN_TIMEZONE, utc_text
from coordination.governorates import get_governorate
from coordination.permissions import Actor, Role
from coordination.training import check_programme
from projections.associations import list_associations
from projections.pool import shared_pool
from web.platform.auth import actor_of, services_of
from web.platform.guards import requires_sign_in
from web.platform.messages import PROGRAMME_NAMES
from web.platform.render import page

AnyRequest = Request[Any, Any, Any]


def check_pool(actor: Actor) -> None:
    if not (actor.is_admin or actor.scopes(Role.ASSOCIATION_COORDINATOR)):
        raise PermissionDeniedException()


def local_moment(text: str) -> str:
    return utc_text(datetime.fromisoformat(text).replace(tzinfo=CAMPAIGN_TIMEZONE))


def filters_of(governorate: str, certificate: str, free_from: str, free_to: str) -> dict[str, str]:
    return {
        "governorate": governorate,
        "certificate": certificate,
        "free_from": free_from,
        "free_to": free_to,
    }


def search(request: AnyRequest, filters: dict[str, str]) -> list[dict[str, Any]]:
    check_pool(actor_of(request))
    services = services_of(request)
    governorate = get_governorate(filters["governorate"]).code if filters["governorate"] else None
    programme = check_programme(filters["certificate"]).value if filters["certificate"] else None
    window = None
    if filters["free_from"] and filters["free_to"]:
        try:
            window = (local_moment(filters["free_from"]), local_moment(filters["free_to"]))
        except ValueError:
            window = None
    return shared_pool(services.db, governorate, programme, window)


class PoolPages(Controller):
    guards = [requires_sign_in]

    @get("/pool", sync_to_thread=True)
    def pool_page(
        self,
        request: AnyRequest,
        governorate: FromQuery[str] = "",
        certificate: FromQuery[str] = "",
        free_from: FromQuery[str] = "",
        free_to: FromQuery[str] = "",
    ) -> Response[str]:
        filters = filters_of(governorate, certificate, free_from, free_to)
        rows = search(request, filters)
        names = {a["association_id"]: a for a in list_associations(services_of(request).db)}
        return page(
            request,
            "pool.html",
            personal=True,
            rows=rows,
            filters=filters,
            associations=names,
            own=sorted(actor_of(request).scopes(Role.ASSOCIATION_COORDINATOR)),
            programme_names=PROGRAMME_NAMES,
        )

    @get("/api/v1/pool", sync_to_thread=True)
    def pool_api(
        self,
        request: AnyRequest,
        governorate: FromQuery[str] = "",
        certificate: FromQuery[str] = "",
        free_from: FromQuery[str] = "",
        free_to: FromQuery[str] = "",
    ) -> list[dict[str, Any]]:
        return search(request, filters_of(governorate, certificate, free_from, free_to))
