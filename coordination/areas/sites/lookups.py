"""Which desk device is asking, from the secret of its token."""

from __future__ import annotations

from uuid import UUID

from coordination.device_token import DeviceToken
from coordination.dispatch import Store
from coordination.permissions import Actor
from coordination.site import Site, SiteNotFound

TOKEN_PREFIX = "katf_"


def device_actor(store: Store, secret: str) -> Actor | None:
    token_id = token_id_of(store, secret)
    if token_id is None:
        return None
    return enrolled_device_actor(store, token_id)


def enrolled_device_actor(store: Store, token_id: UUID) -> Actor | None:
    """The desk a browser was enrolled as: its session keeps the token's id, not its secret."""

    def look_up() -> Actor | None:
        token = store.find(token_id, DeviceToken)
        if token is None or token.revoked:
            return None
        return Actor(device_site_id=token.site_id, device_id=token.id)

    actor: Actor | None = store.actors.get(("device", token_id), look_up)
    return actor


def remembered_device_actor(store: Store, secret: str) -> tuple[bool, Actor | None]:
    """``device_actor`` when its answer is at hand: ``(False, None)`` if it must be read."""
    token_id = token_id_of(store, secret)
    if token_id is None:
        return True, None
    remembered: tuple[bool, Actor | None] = store.actors.recall(("device", token_id))
    return remembered


def remembered_enrolled_device_actor(store: Store, token_id: UUID) -> tuple[bool, Actor | None]:
    remembered: tuple[bool, Actor | None] = store.actors.recall(("device", token_id))
    return remembered


def token_id_of(store: Store, secret: str) -> UUID | None:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    return DeviceToken.create_id(token_hash(store, secret))


def token_hash(store: Store, secret: str) -> str:
    return store.fingerprints.of("device-token", secret)


def site_is_open(store: Store, site_id: UUID) -> bool:
    """Whether a site takes sign-ups, as of a moment ago: read once a moment in each process,
    not once a batch (a closing is not decided against sign-ups, so a sign-up at the instant
    of a close may land either way; the process that closes the site knows it at once)."""
    open_now: bool = store.moments.get(
        ("site_open", site_id), lambda: not store.get(site_id, Site, SiteNotFound).closed
    )
    return open_now
