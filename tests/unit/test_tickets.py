"""Ticket rules in memory: deadlines per priority, configuration, one escalation per deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coordination.ticket import Ticket, TicketClosed
from coordination.ticket_policy import (
    DEFAULT_DEADLINES,
    InvalidDeadlines,
    Priority,
    deadlines_from,
)
from web.platform.settings import SettingsError, load_settings

OPENED = datetime(2026, 3, 1, 9, tzinfo=UTC)


def ticket() -> Ticket:
    return Ticket.open("hotline", "urgent_need", "01", "No food", "", "", {}, OPENED, None)


def test_deadlines_can_be_configured_per_priority() -> None:
    deadlines = deadlines_from("urgent=30/600, low=1440/20160")
    assert deadlines[Priority.URGENT].response == timedelta(minutes=30)
    assert deadlines[Priority.LOW].resolution == timedelta(days=14)
    assert deadlines[Priority.HIGH] == DEFAULT_DEADLINES[Priority.HIGH]


@pytest.mark.parametrize("text", ["urgent=30", "soon=1/2", "urgent=60/30", "urgent=a/b"])
def test_malformed_deadlines_are_refused(text: str) -> None:
    with pytest.raises(InvalidDeadlines):
        deadlines_from(text)


def test_each_deadline_escalates_once() -> None:
    t = ticket()
    t.triage("urgent", "", OPENED, None, DEFAULT_DEADLINES)
    assert t.overdue(OPENED + timedelta(minutes=30)) == []
    late = OPENED + timedelta(hours=2)
    assert t.overdue(late) == ["response"]
    assert t.escalate("response", late, None)
    assert not t.escalate("response", late, None)
    assert t.overdue(OPENED + timedelta(days=2)) == ["resolution"]


def test_a_resolved_ticket_must_be_reopened_first() -> None:
    t = ticket()
    t.triage("normal", "", OPENED, None, DEFAULT_DEADLINES)
    t.resolve("Delivered", OPENED, None)
    with pytest.raises(TicketClosed):
        t.resolve("again", OPENED, None)
    t.reopen("Called back", OPENED, None)
    assert t.is_open and t.overdue(OPENED + timedelta(days=30)) == ["response", "resolution"]


def test_settings_refuse_unreadable_deadlines(tmp_path: Path) -> None:
    database = {"KATF_DATABASE_URL": f"sqlite:///{tmp_path}/katf.db"}
    assert load_settings({**database, "KATF_TICKET_DEADLINES": "urgent=30/600"}).ticket_deadlines
    with pytest.raises(SettingsError, match="KATF_TICKET_DEADLINES"):
        load_settings({**database, "KATF_TICKET_DEADLINES": "urgent=soon"})
