"""What became of the messages the staff caused about a shift or a ticket, for those who
manage it: how many were sent, are still on their way or could not be delivered, and the
latest ones one by one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from projections.database import Database, Row
from projections.outbox import message_counts_about, messages_about
from projections.personal import Sealer
from projections.volunteer_directory import names_of
from web.platform.i18n import N_

SHOWN = 50
WHAT: dict[str, str] = {
    "promoted": N_("A place from the waitlist"),
    "retimed": N_("New times for the shift"),
    "lost_cancelled": N_("The shift is cancelled"),
    "lost_removed": N_("Taken off the shift"),
    "lost_moved": N_("Moved to another shift"),
    "lost_no_show": N_("Place given to another after a no-show"),
    "waitlist_cancelled": N_("The shift they waited for is cancelled"),
    "ticket_assigned": N_("Ticket assigned"),
}
CHANNELS: dict[str, str] = {"sms": N_("Text message"), "email": N_("E-mail")}
# each message's state, as the staff read it; a pending one tried before is being retried
STATES: dict[str, str] = {
    "pending": N_("On its way"),
    "retrying": N_("Not taken yet; trying again"),
    "sent": N_("Message sent"),
    "dead": N_("Could not be delivered"),
    "expired": N_("Too late to send"),
}
FAILED = ("dead", "expired")


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    waiting: int
    failed: int
    latest: list[Row]
    what: ClassVar[dict[str, str]] = WHAT
    channels: ClassVar[dict[str, str]] = CHANNELS
    states: ClassVar[dict[str, str]] = STATES

    @property
    def total(self) -> int:
        return self.sent + self.waiting + self.failed


def delivery_report(db: Database, sealer: Sealer, about: Any) -> DeliveryReport:
    """The messages about ``about`` (a shift's or a ticket's id) counted by what became of
    them, and the latest ones with their recipient's name where a volunteer's is known."""
    counts = message_counts_about(db, str(about))
    rows = messages_about(db, str(about), SHOWN)
    names = names_of(db, sealer, [row["recipient_id"] for row in rows])
    latest = [
        {
            **row,
            "name": names.get(row["recipient_id"], ""),
            "state": "retrying"
            if row["status"] == "pending" and int(row["attempts"]) > 0
            else row["status"],
        }
        for row in rows
    ]
    return DeliveryReport(
        sent=counts.get("sent", 0),
        waiting=counts.get("pending", 0),
        failed=sum(counts.get(status, 0) for status in FAILED),
        latest=latest,
    )
