"""A stadium for the packing-day tests: lines, a point, a manager, a desk device, a shift now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from coordination.areas.accounts.commands import CreateUser
from coordination.areas.packing.commands import AddLine, ConfigurePacking
from coordination.areas.sites.commands import IssueDeviceToken, OpenSite, ScheduleShift
from coordination.badges import badge_code
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.permissions import SYSTEM, Grant, Role
from coordination.shift import Shift
from coordination.volunteer import Volunteer
from tests.helpers import PASSWORD, mobile
from web.bootstrap import Services


def stadium(services: Services, capacity: int = 100) -> dict[str, Any]:
    site = services.dispatcher.run(
        OpenSite("cairo-stadium", "packing", "01", "استاد القاهرة", "Stadium"), SYSTEM
    )
    point = services.dispatcher.run(
        OpenSite("giza-point-1", "distribution_point", "21", "نقطة", "Point"), SYSTEM
    )
    services.dispatcher.run(ConfigurePacking(site, 10_000, {"rice (kg)": 2, "oil (l)": 1}), SYSTEM)
    lines = [
        services.dispatcher.run(AddLine(site, f"Line {n}", f"Zone {n % 2}", 400), SYSTEM)
        for n in range(4)
    ]
    now = datetime.now(UTC).replace(microsecond=0)
    # under way, and begun today in Cairo: the board and the day's exports read Cairo's day
    midnight = now.astimezone(CAMPAIGN_TIMEZONE).replace(hour=0, minute=0, second=0)
    starts = max(now - timedelta(hours=1), midnight.astimezone(UTC))
    shift = services.dispatcher.run(
        ScheduleShift(site, "packer", starts, now + timedelta(hours=5), capacity), SYSTEM
    )
    manager = mobile()
    services.dispatcher.run(
        CreateUser(manager, "Manager", PASSWORD, [Grant(Role.SITE_MANAGER, str(site))]), SYSTEM
    )
    _, desk = services.dispatcher.run(IssueDeviceToken(site, "Gate 1"), SYSTEM)
    return {
        "site": str(site),
        "point": str(point),
        "lines": [str(line) for line in lines],
        "shift": str(shift),
        "manager": manager,
        "desk": desk,
    }


def volunteers_on(services: Services, shift_id: str, count: int, chunk: int = 250) -> list[str]:
    """Registered and signed up in bulk (set-up, not what is tested): their badge codes."""
    core = services.app
    codes: list[str] = []
    for start in range(0, count, chunk):
        shift = core.repository.get(UUID(shift_id))
        assert isinstance(shift, Shift)
        group = []
        for n in range(start, min(start + chunk, count)):
            volunteer = Volunteer(
                f"bulk-{shift_id}-{n}",
                f"{n % 10_000:04d}",
                f"Volunteer {n}",
                f"+2010{n:08d}",
                "01",
                None,
            )
            shift.take_place(volunteer.id, f"bulk-{n}")
            volunteer.take_shift(shift.id, shift.starts_at, shift.ends_at)
            group.append(volunteer)
            codes.append(badge_code(core.fingerprints, volunteer.id))
        core.save(shift, *group)
    return codes
