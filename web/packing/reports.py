"""The packing day exported: check-ins, hours per volunteer, boxes per line, dispatches."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, FromQuery

from projections.stadium import attendance_of, boxes_per_quarter, trucks_from
from web.packing.views import today
from web.platform.auth import actor_of, services_of
from web.platform.downloads import csv_response, workbook_response
from web.platform.guards import check_packing_site, requires_sign_in

AnyRequest = Request[Any, Any, Any]
Table = tuple[list[dict[str, Any]], tuple[str, ...]]
CHECK_IN_COLUMNS = (
    "volunteer_id",
    "full_name",
    "role",
    "starts_at",
    "ends_at",
    "checked_in_at",
    "checked_out_at",
    "seconds",
    "walk_in",
    "no_show",
    "desk",
    "zone",
    "position",
)
HOURS_COLUMNS = ("volunteer_id", "full_name", "shifts", "seconds", "hours")
BOX_COLUMNS = ("line", "zone", "quarter", "boxes")
DISPATCH_COLUMNS = (
    "truckload_id",
    "label",
    "to_point_id",
    "to_governorate",
    "item",
    "count",
    "dispatched_at",
    "received",
    "received_at",
)


def hours_of(check_ins: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seconds: dict[str, int] = defaultdict(int)
    shifts: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for row in check_ins:
        if row["seconds"] is not None:
            seconds[row["volunteer_id"]] += row["seconds"]
            shifts[row["volunteer_id"]] += 1
            names[row["volunteer_id"]] = row["full_name"]
    return [
        {
            "volunteer_id": volunteer,
            "full_name": names[volunteer],
            "shifts": shifts[volunteer],
            "seconds": total,
            "hours": round(total / 3600, 2),
        }
        for volunteer, total in sorted(seconds.items())
    ]


def day_tables(request: AnyRequest, site_id: UUID, day: str) -> dict[str, Table]:
    try:
        date.fromisoformat(day)
    except ValueError:
        raise ValidationException("day must be YYYY-MM-DD") from None
    services = services_of(request)
    check_packing_site(actor_of(request), services.db, site_id)

    def unseal(sealed: str | None) -> str:
        return services.sealer.unseal(sealed) if sealed else ""

    check_ins = [
        {**row, "full_name": unseal(row["full_name_sealed"])}
        for row in attendance_of(services.db, str(site_id), day)
    ]
    return {
        "check_ins": (check_ins, CHECK_IN_COLUMNS),
        "hours": (hours_of(check_ins), HOURS_COLUMNS),
        "boxes": (boxes_per_quarter(services.db, str(site_id), day), BOX_COLUMNS),
        "dispatches": (trucks_from(services.db, str(site_id), day), DISPATCH_COLUMNS),
    }


class PackingReports(Controller):
    path = "/packing/{site_id:uuid}/export"
    guards = [requires_sign_in]

    @get("/{name:str}", sync_to_thread=True)
    def export(
        self,
        request: AnyRequest,
        site_id: FromPath[UUID],
        name: FromPath[str],
        day: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        """``day.xlsx`` with a sheet per table, or one table as CSV (``hours.csv``)."""
        day = day or today()
        tables = day_tables(request, site_id, day)
        if name == "day.xlsx":
            return workbook_response(tables, f"packing-{day}")
        table = name.removesuffix(".csv")
        if not name.endswith(".csv") or table not in tables:
            raise NotFoundException()
        rows, columns = tables[table]
        return csv_response(rows, columns, f"packing-{table}-{day}")
