"""Sites, shifts, associations and desk devices: set up by the staff who run them."""

from __future__ import annotations

import secrets
from datetime import datetime
from uuid import UUID

from coordination.association import Association
from coordination.commands.base import CommandBase
from coordination.device_token import DeviceToken, DeviceTokenNotFound
from coordination.governorates import get_governorate
from coordination.permissions import Actor, Role, require
from coordination.shift import Shift
from coordination.site import Site, SiteNotFound

TOKEN_PREFIX = "katf_"


class SiteCommands(CommandBase):
    def open_site(
        self, actor: Actor, slug: str, kind: str, governorate: str, name_ar: str, name_en: str
    ) -> UUID:
        code = get_governorate(governorate).code
        require(actor.is_admin or actor.has(Role.GOVERNORATE_COORDINATOR, code))
        site = Site.open(slug, kind, code, name_ar, name_en)
        self._save_new(site)
        return site.id

    def schedule_shift(
        self,
        actor: Actor,
        site_id: UUID,
        role: str,
        starts_at: datetime,
        ends_at: datetime,
        capacity: int,
    ) -> UUID:
        site = self._get(site_id, Site, SiteNotFound)
        require(actor.manages_site(site.id, site.governorate))
        shift = Shift.schedule(site.id, site.governorate, role, starts_at, ends_at, capacity)
        self._save_new(shift)
        return shift.id

    def found_association(
        self,
        actor: Actor,
        slug: str,
        name_ar: str,
        name_en: str,
        governorate: str,
        kind: str = "grassroots",
    ) -> UUID:
        require(actor.is_admin)
        association = Association.found(slug, name_ar, name_en, governorate, kind)
        self._save_new(association)
        return association.id

    def issue_device_token(self, actor: Actor, site_id: UUID, label: str) -> tuple[UUID, str]:
        """A new token for a desk device; its secret is shown once and only its hash is kept."""
        site = self._get(site_id, Site, SiteNotFound)
        require(actor.manages_site(site.id, site.governorate))
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = DeviceToken.issue(self._token_hash(secret), site.id, label, actor.account_id)
        self.save(token)
        return token.id, secret

    def revoke_device_token(self, actor: Actor, token_id: UUID) -> None:
        token = self._get(token_id, DeviceToken, DeviceTokenNotFound)
        site = self._get(token.site_id, Site, SiteNotFound)
        require(actor.manages_site(site.id, site.governorate))
        if not token.revoked:
            token.revoke(actor.account_id)
            self.save(token)
        self.actors.forget(("device", token_id))

    def device_actor(self, secret: str) -> Actor | None:
        token_id = self._token_id(secret)
        if token_id is None:
            return None

        def look_up() -> Actor | None:
            token = self._find(token_id, DeviceToken)
            if token is None or token.revoked:
                return None
            return Actor(device_site_id=token.site_id)

        return self.actors.get(("device", token_id), look_up)

    def remembered_device_actor(self, secret: str) -> tuple[bool, Actor | None]:
        """``device_actor`` when its answer is at hand: ``(False, None)`` if it must be read."""
        token_id = self._token_id(secret)
        return (True, None) if token_id is None else self.actors.recall(("device", token_id))

    def _token_id(self, secret: str) -> UUID | None:
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
            return None
        return DeviceToken.create_id(self._token_hash(secret))

    def _token_hash(self, secret: str) -> str:
        return self.fingerprints.of("device-token", secret)
