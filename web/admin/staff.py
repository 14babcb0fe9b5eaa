"""Staff accounts: invite by phone with a one-time set-password code, find an account (a
volunteer's too) by name or mobile number, grant and revoke roles with the scope picked by
name (an htmx search, or the same search as a plain form). The national admin everywhere; a
governorate coordinator the roles of their governorate's sites, kitchens and associations."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from babel.dates import format_datetime
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect

from coordination.areas.accounts.commands import GrantRole, RevokeRole
from coordination.areas.accounts.policy import GOVERNORATE_GRANTS
from coordination.areas.administration.commands import Invitation, InviteStaff, ReissueSetUpCode
from coordination.calendar import local
from coordination.governorates import GOVERNORATES
from coordination.permissions import NATIONAL_ROLES, Actor, Role
from projections.campaign_admin import SEARCH_LIMIT, admin_associations, admin_sites
from projections.campaign_admin import staff_account as find_staff_account
from projections.database import Database
from web.admin.history import history
from web.admin.labels import GRANTABLE, STAFF_ROLE_NAMES, scope_label
from web.admin.reach import found_accounts, listed_accounts, may_change, sees_account, shown
from web.platform.answers import answered, caught_up, dispatched
from web.platform.auth import actor_of, services_of
from web.platform.flash import flash
from web.platform.guards import requires_admin, requires_administration
from web.platform.i18n import N_, babel_locale, gettext_for, in_digits
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]
SITE_KINDS = {Role.SITE_MANAGER: ("packing", "distribution_point"), Role.KITCHEN_LEAD: ("kitchen",)}


def scope_choices(
    db: Database, locale: str, role: str, query: str, governorates: set[str] | None = None
) -> list[tuple[str, str]]:
    """What a role may cover, by name, matching the search in either language; within the
    given governorates (None: anywhere)."""
    words = query.casefold().split()

    def matches(*names: str) -> bool:
        text = " ".join(names).casefold()
        return all(word in text for word in words)

    def within(governorate: str) -> bool:
        return governorates is None or governorate in governorates

    if role == Role.GOVERNORATE_COORDINATOR:
        found = [
            (g.code, g.name(locale))
            for g in GOVERNORATES
            if within(g.code) and matches(g.name_ar, g.name_en)
        ]
    elif role == Role.ASSOCIATION_COORDINATOR:
        found = [
            (a["association_id"], _named(a, locale))
            for a in admin_associations(db)
            if within(a["governorate"]) and matches(a["name_ar"], a["name_en"])
        ]
    elif role in SITE_KINDS:
        found = [
            (s["site_id"], _named(s, locale))
            for s in admin_sites(db, governorates)
            if s["kind"] in SITE_KINDS[Role(role)]
            and not s["closed"]
            and matches(s["name_ar"], s["name_en"])
        ]
    else:
        found = []
    return found[:SEARCH_LIMIT]


def _named(row: dict[str, Any], locale: str) -> str:
    return str(row["name_ar" if locale == "ar" else "name_en"])


def needs_scope(role: str) -> bool:
    return role in GRANTABLE and Role(role) not in NATIONAL_ROLES


def grantable_by(actor: Actor) -> list[Role]:
    return GRANTABLE if actor.is_admin else [r for r in GRANTABLE if r in GOVERNORATE_GRANTS]


def governorates_of(actor: Actor) -> set[str] | None:
    return None if actor.is_admin else actor.scopes(Role.GOVERNORATE_COORDINATOR)


class StaffPages(Controller):
    path = "/admin/accounts"
    guards = [requires_administration]

    @get("/", sync_to_thread=True)
    def accounts(
        self, request: AnyRequest, q: Annotated[str, QueryParameter()] = ""
    ) -> Response[str]:
        return self._accounts(request, q.strip()[:80])

    def _accounts(
        self, request: AnyRequest, query: str, status: int = 200, **extra: Any
    ) -> Response[str]:
        actor, services = actor_of(request), services_of(request)
        return page(
            request,
            "admin_accounts.html",
            status_code=status,
            personal=True,
            national=actor.is_admin,
            accounts=listed_accounts(actor, services),
            query=query,
            found=found_accounts(actor, services, query) if query else None,
            staff_role_names=STAFF_ROLE_NAMES,
            **({"form": {}} | extra),
        )

    @post("/", guards=[requires_admin])
    async def invite(self, request: AnyRequest, data: Form) -> Response[Any]:
        form = {"full_name": data.get("full_name", ""), "phone": data.get("phone", "")}
        command = InviteStaff(form["phone"], form["full_name"])
        outcome = await dispatched(request, command)
        await caught_up(request)
        if not outcome.ok:
            return self._accounts(request, "", outcome.status, form=form, error=outcome.notice)
        return self._code(request, outcome.result, form["full_name"])

    @get("/{account_id:uuid}", sync_to_thread=True)
    def account(
        self,
        request: AnyRequest,
        account_id: FromPath[UUID],
        role: Annotated[str, QueryParameter()] = Role.SITE_MANAGER,
        q: Annotated[str, QueryParameter()] = "",
    ) -> Response[str]:
        actor, services, locale = actor_of(request), services_of(request), locale_of(request)
        account = self._account(request, account_id)
        grants = [
            {
                **g,
                "scope_name": scope_label(services.db, locale, g["role"], g["scope"]),
                "revocable": may_change(actor, services.db, g["role"], g["scope"]),
            }
            for g in account["grants"]
        ]
        return page(
            request,
            "admin_account.html",
            personal=True,
            national=actor.is_admin,
            account=shown(actor, account),
            grants=grants,
            history=history(services, account_id, locale),
            **self._picker(actor, services.db, locale, role, q),
        )

    @get("/{account_id:uuid}/scopes", sync_to_thread=True)
    def scopes(
        self,
        request: AnyRequest,
        account_id: FromPath[UUID],
        role: Annotated[str, QueryParameter()] = Role.SITE_MANAGER,
        q: Annotated[str, QueryParameter()] = "",
    ) -> Response[str]:
        db, locale = services_of(request).db, locale_of(request)
        self._account(request, account_id)
        return page(
            request,
            "_admin_grant_form.html",
            personal=True,
            account={"account_id": str(account_id)},
            **self._picker(actor_of(request), db, locale, role, q),
        )

    @post("/{account_id:uuid}/roles")
    async def grant(
        self, request: AnyRequest, account_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        role = data.get("role", "")
        scope = data.get("scope", "") if needs_scope(role) else ""
        return await answered(
            request,
            GrantRole(account_id, role, scope),
            back=f"/admin/accounts/{account_id}",
            done=gettext_for(locale_of(request), N_("The role is granted.")),
        )

    @post("/{account_id:uuid}/roles/revoke")
    async def revoke(
        self, request: AnyRequest, account_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        command = RevokeRole(account_id, data.get("role", ""), data.get("scope", ""))
        return await answered(
            request,
            command,
            back=f"/admin/accounts/{account_id}",
            done=gettext_for(locale_of(request), N_("The role is revoked.")),
        )

    @post("/{account_id:uuid}/code", guards=[requires_admin])
    async def reissue(self, request: AnyRequest, account_id: FromPath[UUID]) -> Response[Any]:
        outcome = await dispatched(request, ReissueSetUpCode(account_id))
        if not outcome.ok:
            flash(request, "error", outcome.notice or "")
            return Redirect(f"/admin/accounts/{account_id}", status_code=303)
        services = services_of(request)
        account = find_staff_account(services.db, services.sealer, str(account_id))
        return self._code(request, outcome.result, account["full_name"] if account else "")

    def _code(self, request: AnyRequest, invitation: Invitation, name: str) -> Response[str]:
        """The code, shown this once: only its hash is kept."""
        code, locale = invitation.code, locale_of(request)
        return page(
            request,
            "admin_invited.html",
            personal=True,
            name=name,
            account_id=str(invitation.account_id),
            code=f"{code[:5]}-{code[5:]}",
            expires=in_digits(
                format_datetime(
                    local(invitation.expires_at), format="medium", locale=babel_locale(locale)
                ),
                locale,
            ),
        )

    def _account(self, request: AnyRequest, account_id: UUID) -> dict[str, Any]:
        services = services_of(request)
        account = find_staff_account(services.db, services.sealer, str(account_id))
        if account is None:
            raise NotFoundException()
        if not sees_account(actor_of(request), services, account):
            raise PermissionDeniedException()
        return account

    def _picker(
        self, actor: Actor, db: Database, locale: str, role: str, query: str
    ) -> dict[str, Any]:
        roles = grantable_by(actor)
        role = role if role in roles else Role.SITE_MANAGER
        scope = governorates_of(actor)
        return {
            "staff_role_names": STAFF_ROLE_NAMES,
            "grantable_roles": roles,
            "chosen_role": role,
            "query": query,
            "needs_scope": needs_scope(role),
            "choices": scope_choices(db, locale, role, query, scope) if needs_scope(role) else [],
        }
