"""A desk device's API token: issued by a site manager for one site, revocable."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound
from coordination.fingerprints import stable_id


class DeviceToken(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Issued: ClassVar[type[Aggregate.Event]]
        Revoked: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(token_hash: str) -> UUID:
        return stable_id("device-token", token_hash)

    @classmethod
    def issue(
        cls, token_hash: str, site_id: UUID, label: str, issued_by: UUID | None
    ) -> DeviceToken:
        if not 0 < len(label.strip()) <= 80:
            raise InvalidDeviceLabel()
        return cls(token_hash, site_id, label.strip(), issued_by)

    @event("Issued")
    def __init__(self, token_hash: str, site_id: UUID, label: str, issued_by: UUID | None) -> None:
        self.token_hash, self.site_id, self.label = token_hash, site_id, label
        self.issued_by, self.revoked = issued_by, False

    @event("Revoked")
    def revoke(self, revoked_by: UUID | None) -> None:
        self.revoked = True


class InvalidDeviceLabel(InvalidInput):
    code = "invalid_device_label"


class DeviceTokenNotFound(NotFound):
    code = "device_token_not_found"
