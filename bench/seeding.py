"""What the benchmarks prepare before they time anything: a stadium, its shifts, volunteers.

``bench.run`` and ``bench.real_rush`` seed through these, each with its own names, places and
numbers, so the two rushes prepare their people the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from uuid import UUID

from bench.load import PASSWORD
from coordination.areas.accounts.commands import RegisterVolunteer
from coordination.areas.sites.commands import OpenSite, ScheduleShift
from coordination.permissions import SYSTEM
from web.platform.services import Services


def tomorrow_on_the_hour() -> datetime:
    return (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)


def open_stadium(services: Services, name: str) -> UUID:
    """A packing site in Cairo (governorate 01)."""
    site: UUID = services.dispatcher.run(
        OpenSite(name, "packing", "01", "الاستاد", "Stadium"), SYSTEM
    )
    return site


def schedule_shifts(
    services: Services,
    site: UUID,
    first: datetime,
    places: Sequence[int],
    *,
    role: str = "packer",
    every: timedelta = timedelta(hours=1),
    length: timedelta = timedelta(minutes=50),
) -> list[str]:
    """A shift for each entry of ``places`` (its places), ``every`` apart from ``first`` on, so
    that none overlaps another: their ids."""
    return [
        str(
            services.dispatcher.run(
                ScheduleShift(site, role, first + n * every, first + n * every + length, count),
                SYSTEM,
            )
        )
        for n, count in enumerate(places)
    ]


def register_volunteers(
    services: Services, people: Sequence[tuple[str, str, str]], threads: int = 1
) -> list[str]:
    """Each (name, phone, national ID) registered in Cairo with the bench's password, by
    ``threads`` threads at once: their volunteer ids, in the same order."""

    def register(person: tuple[str, str, str]) -> str:
        name, phone, national_id = person
        return str(
            services.dispatcher.run(RegisterVolunteer(name, phone, national_id, "01", PASSWORD))
        )

    if threads <= 1:
        return [register(person) for person in people]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(register, people))
