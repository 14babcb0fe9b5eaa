"""The JSON API for staff: sites, shifts, desk devices, associations and role grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, JSONBody

from coordination.areas.accounts.commands import GrantRole, RevokeRole
from coordination.areas.sites.commands import (
    FoundAssociation,
    IssueDeviceToken,
    OpenSite,
    RevokeDeviceToken,
    ScheduleShift,
)
from projections.device_tokens import devices_of_site
from projections.shift_board import list_sites
from web.platform.answers import decided
from web.platform.auth import actor_of, services_of
from web.platform.guards import requires_sign_in

AnyRequest = Request[Any, Any, Any]


@dataclass
class NewSite:
    slug: str
    kind: str
    governorate: str
    name_ar: str
    name_en: str


@dataclass
class NewShift:
    role: str
    starts_at: datetime
    ends_at: datetime
    capacity: int


@dataclass
class NewDevice:
    label: str


@dataclass
class NewAssociation:
    slug: str
    name_ar: str
    name_en: str
    governorate: str
    kind: str = "grassroots"


@dataclass
class RoleChange:
    role: str
    scope: str = ""


class StaffApi(Controller):
    path = "/api/v1"
    cache_control = CacheControlHeader(no_store=True)
    tags = ["staff"]
    guards = [requires_sign_in]

    @post("/sites", status_code=201)
    async def open_site(self, request: AnyRequest, data: JSONBody[NewSite]) -> dict[str, str]:
        command = OpenSite(data.slug, data.kind, data.governorate, data.name_ar, data.name_en)
        return {"id": str(await decided(request, command))}

    @post("/sites/{site_id:uuid}/shifts", status_code=201)
    async def schedule_shift(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[NewShift]
    ) -> dict[str, str]:
        command = ScheduleShift(site_id, data.role, data.starts_at, data.ends_at, data.capacity)
        return {"id": str(await decided(request, command))}

    @post("/sites/{site_id:uuid}/devices", status_code=201)
    async def issue_device(
        self, request: AnyRequest, site_id: FromPath[UUID], data: JSONBody[NewDevice]
    ) -> dict[str, str]:
        issued = await decided(request, IssueDeviceToken(site_id, data.label))
        return {"id": str(issued.token_id), "token": issued.secret}

    @get("/sites/{site_id:uuid}/devices", sync_to_thread=True)
    def list_devices(self, request: AnyRequest, site_id: FromPath[UUID]) -> list[dict[str, Any]]:
        services = services_of(request)
        site = next((s for s in list_sites(services.db) if s["site_id"] == str(site_id)), None)
        if site is None:
            raise NotFoundException()
        if not actor_of(request).manages_site(site_id, site["governorate"]):
            raise PermissionDeniedException()
        return devices_of_site(services.db, str(site_id))

    @delete("/devices/{token_id:uuid}", status_code=200)
    async def revoke_device(self, request: AnyRequest, token_id: FromPath[UUID]) -> dict[str, str]:
        await decided(request, RevokeDeviceToken(token_id))
        return {"id": str(token_id), "status": "revoked"}

    @post("/associations", status_code=201)
    async def found_association(
        self, request: AnyRequest, data: JSONBody[NewAssociation]
    ) -> dict[str, str]:
        command = FoundAssociation(
            data.slug, data.name_ar, data.name_en, data.governorate, data.kind
        )
        return {"id": str(await decided(request, command))}

    @post("/accounts/{account_id:uuid}/roles", status_code=200)
    async def grant_role(
        self, request: AnyRequest, account_id: FromPath[UUID], data: JSONBody[RoleChange]
    ) -> dict[str, str]:
        await decided(request, GrantRole(account_id, data.role, data.scope))
        return {"status": "granted"}

    @post("/accounts/{account_id:uuid}/roles/revoke", status_code=200)
    async def revoke_role(
        self, request: AnyRequest, account_id: FromPath[UUID], data: JSONBody[RoleChange]
    ) -> dict[str, str]:
        await decided(request, RevokeRole(account_id, data.role, data.scope))
        return {"status": "revoked"}
