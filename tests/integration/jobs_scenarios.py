"""Lists to import whose counts are known, and what the event store holds after: shared by the
job queue's tests (a lease taken over in-process on SQLite, a worker killed on PostgreSQL)."""

from __future__ import annotations

from typing import Any

from coordination.areas.sites.commands import FoundAssociation, OpenSite
from coordination.permissions import SYSTEM
from web.bootstrap import Services

UNIQUE = 25
EXPECTED = {"created": UNIQUE, "existing": 2, "linked": 0, "rejected": 1}
REGISTERED = {"households": "Household.Registered", "volunteers": "Volunteer.Registered"}


def place(services: Services, kind: str, name: str = "jobs") -> str:
    """A point for households, an association for volunteers."""
    if kind == "households":
        command: Any = OpenSite(f"{name}-point", "distribution_point", "01", "نقطة", "Point")
    else:
        command = FoundAssociation(f"{name}-association", "جمعية", "Association", "01")
    target = str(services.dispatcher.run(command, SYSTEM))
    services.runner.catch_up()
    return target


def the_list(kind: str, unique: int = UNIQUE) -> list[dict[str, str]]:
    """``unique`` people, the first twice in the first rows and the third again much later,
    and one row refused (an ID too short): the counts of ``EXPECTED`` when ``unique`` is 25."""
    if kind == "households":
        rows = [{"national_id": f"290010101{n:04d}1", "size": "4"} for n in range(unique)]
        bad = {"national_id": "12345", "size": "4"}
    else:
        rows = [
            {
                "full_name": f"Volunteer {n}",
                "phone": f"0106{n:07d}",
                "national_id": f"290010101{n:04d}1",
                "governorate": "01",
            }
            for n in range(unique)
        ]
        bad = {**rows[0], "national_id": "12345", "phone": "01099999999"}
    return [rows[0], rows[0], *rows[1:], rows[2], bad]


def registered(services: Services, kind: str) -> int:
    """Registrations of that kind in the event store, however many times a chunk was decided."""
    notifications = services.app.recorder.select_notifications(start=1, limit=1_000_000)
    return sum(1 for n in notifications if n.topic.endswith(REGISTERED[kind]))


def counts(job: dict[str, Any]) -> dict[str, int]:
    return {name: job[name] for name in EXPECTED}
