"""Opening sites and associations, scheduling shifts, issuing and revoking desk tokens."""

from __future__ import annotations

import secrets
from uuid import UUID

from coordination.areas.sites.commands import (
    FoundAssociation,
    IssuedDeviceToken,
    IssueDeviceToken,
    OpenSite,
    RevokeDeviceToken,
    ScheduleShift,
)
from coordination.areas.sites.lookups import TOKEN_PREFIX, token_hash
from coordination.areas.sites.policy import (
    may_found_association,
    may_open_site,
    require_open,
    runs_site,
)
from coordination.association import Association
from coordination.device_token import DeviceToken, DeviceTokenNotFound
from coordination.dispatch import Store, handles
from coordination.governorates import get_governorate
from coordination.permissions import Actor, require
from coordination.shift import Shift
from coordination.site import Site, SiteNotFound


@handles(OpenSite)
def open_site(store: Store, command: OpenSite, actor: Actor) -> UUID:
    code = get_governorate(command.governorate).code
    require(may_open_site(actor, code))
    c = command
    site = Site.open(c.slug, c.kind, code, c.name_ar, c.name_en, actor.account_id)
    store.save_new(site)
    return site.id


@handles(ScheduleShift)
def schedule_shift(store: Store, command: ScheduleShift, actor: Actor) -> UUID:
    site = store.get(command.site_id, Site, SiteNotFound)
    require(runs_site(actor, site))
    require_open(site)
    c = command
    shift = Shift.schedule(site.id, site.governorate, c.role, c.starts_at, c.ends_at, c.capacity)
    store.save_new(shift)
    return shift.id


@handles(FoundAssociation)
def found_association(store: Store, command: FoundAssociation, actor: Actor) -> UUID:
    code = get_governorate(command.governorate).code
    require(may_found_association(actor, code))
    association = Association.found(
        command.slug,
        command.name_ar,
        command.name_en,
        code,
        command.kind,
        actor.account_id,
    )
    store.save_new(association)
    return association.id


@handles(IssueDeviceToken)
def issue_device_token(store: Store, command: IssueDeviceToken, actor: Actor) -> IssuedDeviceToken:
    site = store.get(command.site_id, Site, SiteNotFound)
    require(runs_site(actor, site))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = DeviceToken.issue(token_hash(store, secret), site.id, command.label, actor.account_id)
    store.save(token)
    return IssuedDeviceToken(token.id, secret)


@handles(RevokeDeviceToken)
def revoke_device_token(store: Store, command: RevokeDeviceToken, actor: Actor) -> None:
    token = store.get(command.token_id, DeviceToken, DeviceTokenNotFound)
    site = store.get(token.site_id, Site, SiteNotFound)
    require(runs_site(actor, site))
    if not token.revoked:
        token.revoke(actor.account_id)
        store.save(token)
    store.actors.forget(("device", command.token_id))
