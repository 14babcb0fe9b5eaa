"""A demo campaign: the stadium, three governorate sites and shifts over the next two days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from uuid import UUID

from coordination.areas.kitchens.commands import ConfigureKitchen
from coordination.areas.packing.commands import AddLine, ConfigurePacking
from coordination.areas.sites.commands import FoundAssociation, OpenSite, ScheduleShift
from coordination.areas.training.commands import ScheduleSession
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.dispatch import Dispatcher
from coordination.permissions import SYSTEM
from coordination.site import LineExists
from coordination.training import Programme

SITES = (
    ("cairo-stadium", "packing", "01", "استاد القاهرة الدولي", "Cairo International Stadium"),
    (
        "alexandria-point",
        "distribution_point",
        "02",
        "نقطة توزيع سموحة",
        "Smouha distribution point",
    ),
    ("giza-kitchen", "kitchen", "21", "مطبخ الجيزة المركزي", "Giza central kitchen"),
    ("assiut-packing", "packing", "25", "مركز تعبئة أسيوط", "Assiut packing centre"),
)

ROLES = {
    "packing": (("packer", 400), ("line_lead", 20), ("loader", 40), ("medic", 4)),
    "distribution_point": (("distributor", 30), ("registrar", 6)),
    "kitchen": (("cook", 12), ("driver", 6)),
}

ASSOCIATIONS = (
    ("youth-for-good", "جمعية شباب الخير", "Youth for Good Association", "01"),
    ("alexandria-hands", "جمعية أيادي الإسكندرية", "Alexandria Helping Hands", "02"),
)

BLOCKS = ((time(8), time(12)), (time(12), time(16)), (time(16), time(20)))

PACKING = {
    "cairo-stadium": (60_000, (("North stand", 6), ("South stand", 6), ("East stand", 4))),
    "assiut-packing": (8_000, (("Hall A", 3),)),
}
BOX = {
    "أرز (كجم) / rice (kg)": 2,
    "زيت (لتر) / oil (l)": 1,
    "سكر (كجم) / sugar (kg)": 1,
    "مكرونة (كجم) / pasta (kg)": 2,
    "عدس (كجم) / lentils (kg)": 1,
    "تمر (كجم) / dates (kg)": 1,
}


def seed_demo(
    dispatcher: Dispatcher, progress: Callable[[int, int], None] | None = None, days: int = 2
) -> int:
    """Creates the demo; running it again the same day changes nothing. Returns the shifts."""
    first_day = datetime.now(CAMPAIGN_TIMEZONE).date() + timedelta(days=1)
    plan = [
        (slug, kind, role, capacity, first_day + timedelta(days=offset), start, end)
        for slug, kind, *_ in SITES
        for role, capacity in ROLES[kind]
        for offset in range(days)
        for start, end in BLOCKS
    ]
    for association in ASSOCIATIONS:
        dispatcher.run(FoundAssociation(*association), SYSTEM)
    site_ids = {site[0]: dispatcher.run(OpenSite(*site), SYSTEM) for site in SITES}
    dispatcher.run(ConfigureKitchen(site_ids["giza-kitchen"], daily_meal_target=2_000), SYSTEM)
    for slug, (target, zones) in PACKING.items():
        set_up_packing(dispatcher, site_ids[slug], target, zones)
    for programme in Programme:
        session_at = datetime.combine(first_day, time(10), CAMPAIGN_TIMEZONE)
        dispatcher.run(ScheduleSession(programme, session_at, "Gezira youth centre", 40), SYSTEM)
    for done, (slug, _kind, role, capacity, day, start, end) in enumerate(plan, start=1):
        starts_at = datetime.combine(day, start, CAMPAIGN_TIMEZONE)
        ends_at = datetime.combine(day, end, CAMPAIGN_TIMEZONE)
        dispatcher.run(ScheduleShift(site_ids[slug], role, starts_at, ends_at, capacity), SYSTEM)
        if progress is not None:
            progress(done, len(plan))
    return len(plan)


def set_up_packing(
    dispatcher: Dispatcher, site_id: UUID, target: int, zones: tuple[tuple[str, int], ...]
) -> None:
    """Lines of 400 boxes an hour in each zone; skipped when the site has them already."""
    try:
        for zone, lines in zones:
            for number in range(1, lines + 1):
                dispatcher.run(AddLine(site_id, f"{zone} {number}", zone, 400), SYSTEM)
    except LineExists:
        return
    dispatcher.run(ConfigurePacking(site_id, target, BOX), SYSTEM)
