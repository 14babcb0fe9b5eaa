"""Offers as the asking association sees them: each named by a handle of its own, never by the
lent volunteer's id, until the association accepts it (issue 20: knowing a volunteer's id is
no business of another association's before the loan)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from projections.database import Database, Row
from projections.exchange_ledger import offers_in
from web.platform.auth import services_of


def handle_of(request: Any, request_id: str, volunteer_id: str) -> str:
    fingerprints = services_of(request).app.fingerprints
    return fingerprints.of("exchange-offer", f"{request_id}:{volunteer_id}")[:32]


def volunteer_offered(request: Any, db: Database, request_id: UUID, handle: str) -> UUID | None:
    """The volunteer of the offer with this handle, on this request, if any."""
    for offer in offers_in(db, [str(request_id)]):
        if handle_of(request, offer["request_id"], offer["volunteer_id"]) == handle:
            return UUID(offer["volunteer_id"])
    return None


def as_seen(request: Any, offer: Row) -> dict[str, Any]:
    """An offer to the asking association: its volunteer's id once accepted, else a handle."""
    shown = {**offer, "offer": handle_of(request, offer["request_id"], offer["volunteer_id"])}
    if offer["state"] != "accepted":
        shown["volunteer_id"] = None
    return shown
