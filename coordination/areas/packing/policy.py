"""Who may set up a packing site, log its boxes and move its stock: its managers, and a
line's checked-in lead for that line's boxes (logging and correcting them); a desk device
only checks volunteers in and out, and a point's device confirms the trucks it receives."""

from __future__ import annotations

from uuid import UUID

from coordination.attendance import Attendance, Position
from coordination.errors import Forbidden
from coordination.permissions import Actor
from coordination.site import Site


def manages(actor: Actor, site: Site) -> bool:
    return actor.manages_site(site.id, site.governorate)


def staffs(actor: Actor, site: Site) -> bool:
    """The site's managers and its devices (a point's device confirms its trucks)."""
    return manages(actor, site) or actor.device_site_id == site.id


def leads_line(actor: Actor, site: Site, line_id: UUID, attendance: Attendance | None) -> bool:
    """A volunteer logs boxes only as the checked-in lead of that line (``attendance`` is
    theirs, on the shift they log for)."""
    return (
        attendance is not None
        and attendance.volunteer_id == actor.volunteer_id
        and attendance.site_id == site.id
        and attendance.checked_in_at is not None
        and attendance.checked_out_at is None
        and attendance.place is not None
        and attendance.place[1:] == (line_id, Position.LINE_LEAD)
    )


def leads_a_line(actor: Actor, site: Site, attendance: Attendance | None) -> bool:
    """The volunteer is the checked-in lead of one of the site's lines, whichever it is."""
    line_id = attendance.place[1] if attendance and attendance.place else None
    return line_id is not None and leads_line(actor, site, line_id, attendance)


class NotYourLine(Forbidden):
    """A line lead asked to correct a batch another line logged."""

    code = "not_your_line"
