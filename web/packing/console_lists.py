"""What the site console lists below its forms: today's box batches by line (each with its
correction), who is placed where, and the trucks sent with what was received."""

from __future__ import annotations

from typing import Any

from projections.stadium import box_batches_of, places_of
from web.platform.services import Services

RECENT_PER_LINE = 10


def console_lists(services: Services, site_id: str, day: str) -> dict[str, Any]:
    batches: dict[str, list[dict[str, Any]]] = {}
    for row in box_batches_of(services.db, site_id, day):
        line = batches.setdefault(row["line_name"], [])
        if len(line) < RECENT_PER_LINE:
            line.append(row)
    places: dict[tuple[str, ...], list[dict[str, Any]]] = {}  # by line and area
    for row in places_of(services.db, site_id, day):
        sealed = row["full_name_sealed"]
        named = {**row, "full_name": services.sealer.unseal(sealed) if sealed else ""}
        where = tuple(part for part in (row["line_name"], row["area"]) if part)
        places.setdefault(where, []).append(named)
    return {"batches_by_line": batches, "places_by_area": places}
