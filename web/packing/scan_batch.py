"""An offline desk's upload: up to 500 scans, each a keyed check-in or check-out decided on its
own; a volunteer's scans in the order they happened, different volunteers' side by side (so the
dispatcher batches them as it batches the gates' burst)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from coordination.areas.attendance.commands import AttendanceState, CheckIn, CheckOut
from coordination.dispatch import Dispatcher
from coordination.errors import DomainError, InvalidInput
from coordination.permissions import Actor

MAX_SCANS = 500


@dataclass
class Scanned:
    key: str
    badge: str = ""
    phone: str = ""
    action: Literal["in", "out"] = "in"
    shift_id: UUID | None = None
    walk_in: bool = False
    desk: str = ""
    at: datetime | None = None  # when the desk scanned it, by its own clock


@dataclass
class ScanUpload:
    items: list[Scanned]


class TooManyScans(InvalidInput):
    code = "too_many_scans"


def command_of(site_id: UUID, scan: Scanned) -> CheckIn | CheckOut:
    named = {"badge": scan.badge, "phone": scan.phone, "desk": scan.desk}
    if scan.action == "out":
        return CheckOut(site_id, None, scan.key, scan.shift_id, **named, at=scan.at)
    return CheckIn(site_id, None, scan.key, scan.shift_id, scan.walk_in, **named, at=scan.at)


async def decided_scans(
    dispatcher: Dispatcher, actor: Actor, site_id: UUID, scans: Sequence[Scanned]
) -> list[tuple[int, AttendanceState | DomainError]]:
    """Each scan's answer by its index, in order."""
    if len(scans) > MAX_SCANS:
        raise TooManyScans(maximum=MAX_SCANS)
    by_volunteer: dict[str, list[int]] = {}
    for index, scan in enumerate(scans):
        by_volunteer.setdefault(scan.badge.strip() or scan.phone.strip(), []).append(index)
    answers: dict[int, AttendanceState | DomainError] = {}

    async def in_turn(indexes: list[int]) -> None:
        for index in indexes:
            try:
                answers[index] = await dispatcher.dispatch(command_of(site_id, scans[index]), actor)
            except DomainError as refused:
                answers[index] = refused

    await asyncio.gather(*(in_turn(indexes) for indexes in by_volunteer.values()))
    return sorted(answers.items(), key=lambda answer: answer[0])


def scan_result(index: int, answer: AttendanceState | DomainError, say: Any) -> dict[str, Any]:
    """``say`` turns a refusal into the sentence the desk shows."""
    if isinstance(answer, DomainError):
        return {"index": index, "status": "refused", "code": answer.code, "message": say(answer)}
    return {
        "index": index,
        "status": "recorded" if answer.recorded else "already_recorded",
        "checked_in_at": answer.checked_in_at.isoformat() if answer.checked_in_at else None,
        "checked_out_at": answer.checked_out_at.isoformat() if answer.checked_out_at else None,
    }
