"""An urgent request or complaint: opened, triaged, assigned, acknowledged, resolved, reopened.

Deadlines follow the priority; each deadline escalates to the governorate coordinator once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from coordination.errors import InvalidInput, NotFound, RuleViolation
from coordination.ticket_policy import (
    AssigneeKind,
    Category,
    Channel,
    Deadlines,
    Priority,
    Status,
)


def parse(kind: type[StrEnum], value: str, error: type[InvalidInput]) -> str:
    try:
        return kind(value).value
    except ValueError:
        raise error() from None


def clean_text(text: str, limit: int, error: type[InvalidInput]) -> str:
    text = (text or "").strip()
    if not 0 < len(text) <= limit:
        raise error(maximum=limit)
    return text


class Ticket(Aggregate):
    if TYPE_CHECKING:  # @event makes these classes at runtime; the type checker sees them here
        Opened: ClassVar[type[Aggregate.Event]]
        Triaged: ClassVar[type[Aggregate.Event]]
        Assigned: ClassVar[type[Aggregate.Event]]
        Acknowledged: ClassVar[type[Aggregate.Event]]
        NoteAdded: ClassVar[type[Aggregate.Event]]
        Escalated: ClassVar[type[Aggregate.Event]]
        Resolved: ClassVar[type[Aggregate.Event]]
        Reopened: ClassVar[type[Aggregate.Event]]

    @classmethod
    def open(
        cls,
        channel: str,
        category: str,
        governorate: str,
        description: str,
        contact_name: str,
        contact_phone: str,
        links: dict[str, str],
        opened_at: datetime,
        opened_by: UUID | None,
    ) -> Ticket:
        return cls(
            parse(Channel, channel, UnknownChannel),
            parse(Category, category, UnknownCategory),
            governorate,
            clean_text(description, 4000, InvalidDescription),
            contact_name.strip()[:120],
            contact_phone,
            {k: str(v) for k, v in links.items() if v},
            opened_at,
            opened_by,
        )

    @event("Opened")
    def __init__(
        self,
        channel: str,
        category: str,
        governorate: str,
        description: str,
        contact_name: str,
        contact_phone: str,
        links: dict[str, str],
        opened_at: datetime,
        opened_by: UUID | None,
    ) -> None:
        self.channel, self.category, self.governorate = channel, category, governorate
        self.opened_at, self.status = opened_at, Status.NEW.value
        self.priority: str | None = None
        self.response_due: datetime | None = None
        self.resolution_due: datetime | None = None
        self.assignee: tuple[str, UUID] | None = None
        self.escalated: set[str] = set()
        self.acknowledged = False

    @property
    def is_open(self) -> bool:
        return self.status != Status.RESOLVED

    def triage(
        self,
        priority: str,
        category: str,
        now: datetime,
        by: UUID | None,
        deadlines: dict[Priority, Deadlines],
    ) -> None:
        self._require_open()
        level = Priority(parse(Priority, priority, UnknownPriority))
        category = parse(Category, category or self.category, UnknownCategory)
        due = deadlines[level]
        self._triaged(
            level.value,
            category,
            self.opened_at + due.response,
            self.opened_at + due.resolution,
            now,
            by,
        )

    @event("Triaged")
    def _triaged(
        self,
        priority: str,
        category: str,
        response_due: datetime,
        resolution_due: datetime,
        at: datetime,
        by: UUID | None,
    ) -> None:
        self.priority, self.category = priority, category
        self.response_due, self.resolution_due = response_due, resolution_due
        if self.status == Status.NEW:
            self.status = Status.TRIAGED.value

    def assign(self, kind: str, assignee_id: UUID, now: datetime, by: UUID | None) -> None:
        self._require_open()
        if self.priority is None:
            raise NotTriaged()
        self._assigned(parse(AssigneeKind, kind, UnknownAssigneeKind), assignee_id, now, by)

    @event("Assigned")
    def _assigned(self, kind: str, assignee_id: UUID, at: datetime, by: UUID | None) -> None:
        self.assignee, self.status, self.acknowledged = (kind, assignee_id), "assigned", False

    def acknowledge(self, now: datetime, by: UUID | None) -> bool:
        self._require_open()
        if self.assignee is None:
            raise NotAssigned()
        if self.acknowledged:
            return False
        self._acknowledged(now, by)
        return True

    @event("Acknowledged")
    def _acknowledged(self, at: datetime, by: UUID | None) -> None:
        self.acknowledged, self.status = True, Status.ACKNOWLEDGED.value

    def add_note(self, text: str, now: datetime, by: UUID | None) -> None:
        self._noted(clean_text(text, 4000, InvalidNote), now, by)

    @event("NoteAdded")
    def _noted(self, text: str, at: datetime, by: UUID | None) -> None:
        pass

    def overdue(self, now: datetime) -> list[str]:
        """The deadlines passed and not yet escalated."""
        if not self.is_open:
            return []
        late = []
        if self.response_due and not self.acknowledged and now > self.response_due:
            late.append("response")
        if self.resolution_due and now > self.resolution_due:
            late.append("resolution")
        return [kind for kind in late if kind not in self.escalated]

    def escalate(self, reason: str, now: datetime, by: UUID | None) -> bool:
        """Each deadline escalates once; a manual escalation may be repeated."""
        self._require_open()
        if reason != "manual" and reason in self.escalated:
            return False
        self._escalated(reason, self.governorate, now, by)
        return True

    @event("Escalated")
    def _escalated(self, reason: str, governorate: str, at: datetime, by: UUID | None) -> None:
        self.escalated.add(reason)

    def resolve(self, outcome: str, now: datetime, by: UUID | None) -> None:
        self._require_open()
        self._resolved(clean_text(outcome, 2000, InvalidOutcome), now, by)

    @event("Resolved")
    def _resolved(self, outcome: str, at: datetime, by: UUID | None) -> None:
        self.status = Status.RESOLVED.value

    def reopen(self, reason: str, now: datetime, by: UUID | None) -> None:
        if self.is_open:
            raise StillOpen()
        self._reopened(clean_text(reason, 2000, InvalidNote), now, by)

    @event("Reopened")
    def _reopened(self, reason: str, at: datetime, by: UUID | None) -> None:
        self.status = Status.ASSIGNED.value if self.assignee else Status.TRIAGED.value
        self.acknowledged = False

    def _require_open(self) -> None:
        if not self.is_open:
            raise TicketClosed()


class UnknownChannel(InvalidInput):
    code = "unknown_channel"


class UnknownCategory(InvalidInput):
    code = "unknown_category"


class UnknownPriority(InvalidInput):
    code = "unknown_priority"


class UnknownAssigneeKind(InvalidInput):
    code = "unknown_assignee_kind"


class InvalidDescription(InvalidInput):
    code = "invalid_description"


class InvalidNote(InvalidInput):
    code = "invalid_note"


class InvalidOutcome(InvalidInput):
    code = "invalid_outcome"


class NotTriaged(RuleViolation):
    code = "not_triaged"


class NotAssigned(RuleViolation):
    code = "not_assigned"


class TicketClosed(RuleViolation):
    code = "ticket_closed"


class StillOpen(RuleViolation):
    code = "still_open"


class TicketNotFound(NotFound):
    code = "ticket_not_found"
