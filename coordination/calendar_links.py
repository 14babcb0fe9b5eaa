"""Links to a volunteer's calendar of shifts: their id with a keyed check of which link it is,
so a link cannot be guessed from an id and a reset ends every link given out before it."""

from __future__ import annotations

import hmac
from uuid import UUID

from coordination.fingerprints import Fingerprints

CHECK_LENGTH = 24


def calendar_token(fingerprints: Fingerprints, volunteer_id: UUID, link: int) -> str:
    check = fingerprints.of("calendar", f"{volunteer_id}:{link}")[:CHECK_LENGTH]
    return f"{volunteer_id.hex}.{check}"


def volunteer_of_calendar(fingerprints: Fingerprints, token: str) -> UUID | None:
    """Whose calendar a token claims to open (None: not a token); ``is_current`` checks it."""
    hex_id, _, check = token.partition(".")
    if len(check) != CHECK_LENGTH:
        return None
    try:
        return UUID(hex=hex_id)
    except ValueError:
        return None


def is_current(fingerprints: Fingerprints, token: str, volunteer_id: UUID, link: int) -> bool:
    """The token is the volunteer's link now working."""
    return hmac.compare_digest(calendar_token(fingerprints, volunteer_id, link), token)
