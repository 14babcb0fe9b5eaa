"""What the operations room, the governorates and the assignees ask of a ticket."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from coordination.text import KEY, LONG, NAME, free_text


@free_text(description=LONG, contact_name=NAME, contact_phone=KEY)
@dataclass(frozen=True)
class OpenTicket:
    channel: str
    category: str
    governorate: str
    description: str
    contact_name: str = ""
    contact_phone: str = ""
    links: dict[str, str] | None = None


@dataclass(frozen=True)
class Triage:
    ticket_id: UUID
    priority: str
    category: str = ""


@dataclass(frozen=True)
class Assign:
    ticket_id: UUID
    kind: str
    assignee_id: UUID


@dataclass(frozen=True)
class Acknowledge:
    ticket_id: UUID


@free_text(text=LONG)
@dataclass(frozen=True)
class AddNote:
    ticket_id: UUID
    text: str


@dataclass(frozen=True)
class Escalate:
    ticket_id: UUID


@free_text(outcome=LONG)
@dataclass(frozen=True)
class Resolve:
    ticket_id: UUID
    outcome: str


@free_text(reason=LONG)
@dataclass(frozen=True)
class Reopen:
    ticket_id: UUID
    reason: str


@dataclass(frozen=True)
class EscalateIfOverdue:
    """The deadlines passed are escalated once each, however many workers ask."""

    ticket_id: UUID
