"""Distribution reports: the national overview per governorate, a governorate per point."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from coordination.governorates import get_governorate
from projections.distribution import current_round, national_overview, points_of
from web.platform.auth import actor_of, services_of
from web.platform.downloads import csv_response, xlsx_response
from web.platform.guards import check_governorate, check_national, requires_sign_in

AnyRequest = Request[Any, Any, Any]
OVERVIEW_COLUMNS: tuple[str, ...] = (
    "code",
    "packed",
    "boxes",
    "households_served",
    "registered",
    "active",
)
POINT_COLUMNS: tuple[str, ...] = (
    "site_id",
    "name_ar",
    "name_en",
    "received",
    "handed_out",
    "on_hand",
    "households_served",
    "on_duty",
)


class DistributionReports(Controller):
    path = "/governorates/report"
    guards = [requires_sign_in]

    @get("/{name:str}", sync_to_thread=True)
    def report(self, request: AnyRequest, name: FromPath[str]) -> Response[bytes]:
        """``overview.csv`` (per governorate) or ``21.xlsx`` (per point of Giza)."""
        stem, _, kind = name.rpartition(".")
        if kind not in ("csv", "xlsx"):
            raise NotFoundException()
        db = services_of(request).db
        row = current_round(db)
        round_id = row["round_id"] if row else ""
        if stem == "overview":
            check_national(actor_of(request))
            rows, columns = national_overview(db, round_id), OVERVIEW_COLUMNS
        else:
            stem = get_governorate(stem).code  # "٢١" is Giza too, and a header holds ASCII
            check_governorate(actor_of(request), stem)
            rows, columns = points_of(db, stem, round_id), POINT_COLUMNS
        write = csv_response if kind == "csv" else xlsx_response
        return write(rows, columns, f"distribution-{stem}")
