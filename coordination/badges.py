"""Badge codes: a volunteer's id with a keyed check, so a printed badge cannot be forged."""

from __future__ import annotations

import hmac
from uuid import UUID

from coordination.errors import InvalidInput
from coordination.fingerprints import Fingerprints

PREFIX = "K1"
CHECK_LENGTH = 10


def badge_code(fingerprints: Fingerprints, volunteer_id: UUID) -> str:
    check = fingerprints.of("badge", str(volunteer_id))[:CHECK_LENGTH]
    return f"{PREFIX}.{volunteer_id.hex}.{check}"


def volunteer_of_badge(fingerprints: Fingerprints, code: str) -> UUID:
    parts = code.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise UnknownBadge()
    try:
        volunteer_id = UUID(hex=parts[1])
    except ValueError:
        raise UnknownBadge() from None
    if not hmac.compare_digest(badge_code(fingerprints, volunteer_id), code.strip()):
        raise UnknownBadge()
    return volunteer_id


class UnknownBadge(InvalidInput):
    code = "unknown_badge"
