"""The operations room's queue, each ticket's timeline, and times to resolve."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coordination.calendar import utc_text
from coordination.ticket import Ticket
from projections.database import Cursor, Database, Row
from projections.personal import Sealer
from projections.projection import Projection, handles

VIEW = "ticket_queue"


class TicketQueue(Projection):
    name = VIEW
    tables = ("tickets", "ticket_timeline")

    def __init__(self, sealer: Sealer) -> None:
        self.sealer = sealer

    @handles(Ticket.Opened)
    def opened(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "INSERT INTO tickets (ticket_id, channel, category, governorate, status, opened_at,"
            " description_sealed, contact_name_sealed, contact_phone_sealed)"
            " VALUES (%s, %s, %s, %s, 'new', %s, %s, %s, %s)",
            (
                str(event.originator_id),
                event.channel,
                event.category,
                event.governorate,
                utc_text(event.opened_at),
                self.sealer.seal(event.description),
                self.sealer.seal(event.contact_name),
                self.sealer.seal(event.contact_phone),
            ),
        )
        return self._timeline(cursor, event, "opened", event.opened_by, "")

    @handles(Ticket.Triaged)
    def triaged(self, cursor: Cursor, event: Any) -> list[str]:
        self._update(
            cursor,
            event,
            "priority = %s, category = %s, response_due = %s,"
            " resolution_due = %s, status = CASE WHEN status = 'new' THEN 'triaged'"
            " ELSE status END",
            event.priority,
            event.category,
            utc_text(event.response_due),
            utc_text(event.resolution_due),
        )
        return self._timeline(cursor, event, "triaged", event.by, event.priority)

    @handles(Ticket.Assigned)
    def assigned(self, cursor: Cursor, event: Any) -> list[str]:
        self._update(
            cursor,
            event,
            "assignee_kind = %s, assignee_id = %s, status = 'assigned', acknowledged_at = NULL",
            event.kind,
            str(event.assignee_id),
        )
        return self._timeline(
            cursor, event, "assigned", event.by, f"{event.kind}:{event.assignee_id}"
        )

    @handles(Ticket.Acknowledged)
    def acknowledged(self, cursor: Cursor, event: Any) -> list[str]:
        self._update(
            cursor, event, "status = 'acknowledged', acknowledged_at = %s", utc_text(event.at)
        )
        return self._timeline(cursor, event, "acknowledged", event.by, "")

    @handles(Ticket.NoteAdded)
    def noted(self, cursor: Cursor, event: Any) -> list[str]:
        return self._timeline(cursor, event, "note", event.by, event.text)

    @handles(Ticket.Escalated)
    def escalated(self, cursor: Cursor, event: Any) -> list[str]:
        flag = {
            "response": ", escalated_response = 1",
            "resolution": ", escalated_resolution = 1",
        }.get(event.reason, "")
        self._update(cursor, event, "escalations = escalations + 1" + flag)
        return self._timeline(cursor, event, "escalated", event.by, event.reason)

    @handles(Ticket.Resolved)
    def resolved(self, cursor: Cursor, event: Any) -> list[str]:
        cursor.execute(
            "SELECT opened_at FROM tickets WHERE ticket_id = %s", (str(event.originator_id),)
        )
        opened = datetime.fromisoformat(cursor.fetchone()["opened_at"])
        self._update(
            cursor,
            event,
            "status = 'resolved', resolved_at = %s, resolution_seconds = %s",
            utc_text(event.at),
            int((event.at - opened).total_seconds()),
        )
        return self._timeline(cursor, event, "resolved", event.by, event.outcome)

    @handles(Ticket.Reopened)
    def reopened(self, cursor: Cursor, event: Any) -> list[str]:
        self._update(
            cursor,
            event,
            "status = CASE WHEN assignee_id IS NULL THEN 'triaged'"
            " ELSE 'assigned' END, resolved_at = NULL, resolution_seconds = NULL,"
            " acknowledged_at = NULL",
        )
        return self._timeline(cursor, event, "reopened", event.by, event.reason)

    def _update(self, cursor: Cursor, event: Any, assignments: str, *values: Any) -> None:
        cursor.execute(
            f"UPDATE tickets SET {assignments} WHERE ticket_id = %s",
            (*values, str(event.originator_id)),
        )

    def _timeline(
        self, cursor: Cursor, event: Any, kind: str, actor: Any, detail: str
    ) -> list[str]:
        cursor.execute(
            "INSERT INTO ticket_timeline (ticket_id, version, at, kind, actor_id, detail_sealed)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                event.originator_version,
                utc_text(event.timestamp),
                kind,
                str(actor) if actor else None,
                self.sealer.seal(detail),
            ),
        )
        cursor.execute(
            "SELECT governorate FROM tickets WHERE ticket_id = %s", (str(event.originator_id),)
        )
        governorate = cursor.fetchone()["governorate"]
        return ["tickets", f"tickets:{governorate}", f"ticket:{event.originator_id}"]


def visible_tickets(
    db: Database,
    sealer: Sealer,
    *,
    everything: bool,
    governorates: set[str],
    assignees: set[str],
    filters: dict[str, str],
    limit: int = 200,
) -> list[Row]:
    """The queue as one person may see it, newest first, with the filters applied."""
    conditions, params = [], []
    if not everything:
        scopes = []
        if governorates:
            scopes.append(f"governorate IN ({', '.join(['%s'] * len(governorates))})")
            params.extend(sorted(governorates))
        if assignees:
            scopes.append(f"assignee_id IN ({', '.join(['%s'] * len(assignees))})")
            params.extend(sorted(assignees))
        if not scopes:
            return []
        conditions.append(f"({' OR '.join(scopes)})")
    for column in ("governorate", "category", "assignee_id"):
        if filters.get(column):
            conditions.append(f"{column} = %s")
            params.append(filters[column])
    if filters.get("status") == "open":
        conditions.append("status <> 'resolved'")
    elif filters.get("status"):
        conditions.append("status = %s")
        params.append(filters["status"])
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = db.query(
        f"SELECT * FROM tickets {where} ORDER BY opened_at DESC LIMIT %s", (*params, limit)
    )
    return [unsealed(row, sealer) for row in rows]


def unsealed(row: Row, sealer: Sealer) -> Row:
    return {
        **{k: v for k, v in row.items() if not k.endswith("_sealed")},
        "description": sealer.unseal(row["description_sealed"]),
        "contact_name": sealer.unseal(row["contact_name_sealed"]),
        "contact_phone": sealer.unseal(row["contact_phone_sealed"]),
    }


def find_ticket(db: Database, sealer: Sealer, ticket_id: str) -> Row | None:
    rows = db.query("SELECT * FROM tickets WHERE ticket_id = %s", (ticket_id,))
    return unsealed(rows[0], sealer) if rows else None


def timeline(db: Database, sealer: Sealer, ticket_id: str) -> list[Row]:
    rows = db.query(
        "SELECT * FROM ticket_timeline WHERE ticket_id = %s ORDER BY version", (ticket_id,)
    )
    return [
        {
            **{k: v for k, v in r.items() if k != "detail_sealed"},
            "detail": sealer.unseal(r["detail_sealed"]),
        }
        for r in rows
    ]


def statistics(db: Database, group: str) -> list[Row]:
    """Open tickets and mean time to resolve, per assignee or per governorate."""
    column = {"assignee": "assignee_id", "governorate": "governorate"}[group]
    return db.query(
        f"SELECT {column} AS key, COUNT(*) AS total,"
        " SUM(CASE WHEN status <> 'resolved' THEN 1 ELSE 0 END) AS open,"
        " SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END) AS resolved,"
        " AVG(resolution_seconds) AS mean_seconds_to_resolve,"
        " SUM(escalations) AS escalations"
        f" FROM tickets WHERE {column} IS NOT NULL GROUP BY {column} ORDER BY {column}"
    )


def overdue_candidates(db: Database, now: datetime) -> list[str]:
    """Open tickets with a deadline passed; the aggregate decides whether to escalate."""
    moment = utc_text(now)
    rows = db.query(
        "SELECT ticket_id FROM tickets WHERE status <> 'resolved' AND ("
        "(response_due < %s AND acknowledged_at IS NULL AND escalated_response = 0)"
        " OR (resolution_due < %s AND escalated_resolution = 0))",
        (moment, moment),
    )
    return [row["ticket_id"] for row in rows]


def opened_between(db: Database, sealer: Sealer, start: str, end: str) -> list[Row]:
    rows = db.query(
        "SELECT * FROM tickets WHERE opened_at >= %s AND opened_at < %s ORDER BY opened_at",
        (start, end),
    )
    return [unsealed(row, sealer) for row in rows]
