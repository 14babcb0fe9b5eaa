"""The daily kitchen report for a governorate or the whole country, as CSV or XLSX."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import ValidationException
from litestar.params import FromQuery

from coordination.governorates import get_governorate
from projections.kitchen_dashboard import kitchens_on
from web.platform.auth import actor_of, services_of
from web.platform.downloads import csv_response, xlsx_response
from web.platform.fields import today
from web.platform.guards import check_governorate, check_national, requires_sign_in

COLUMNS = (
    "governorate",
    "kitchen_id",
    "name_ar",
    "name_en",
    "daily_target",
    "cooked",
    "served",
    "discarded",
    "late_served",
    "held_too_long",
)


def report_rows(
    request: Request[Any, Any, Any], day: str | None, governorate: str | None
) -> tuple[str, list[dict[str, Any]]]:
    day = day or today()
    try:
        date.fromisoformat(day)
    except ValueError:
        raise ValidationException("day must be YYYY-MM-DD") from None
    actor = actor_of(request)
    if governorate:
        governorate = get_governorate(governorate).code
        check_governorate(actor, governorate)
    else:
        check_national(actor)
    return day, kitchens_on(services_of(request).db, day, governorate)


class KitchenReports(Controller):
    path = "/kitchens/report"
    guards = [requires_sign_in]

    @get("/csv", sync_to_thread=True)
    def csv_report(
        self,
        request: Request[Any, Any, Any],
        day: FromQuery[str | None] = None,
        governorate: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        day, rows = report_rows(request, day, governorate)
        return csv_response(rows, COLUMNS, f"kitchens-{day}")

    @get("/xlsx", sync_to_thread=True)
    def xlsx_report(
        self,
        request: Request[Any, Any, Any],
        day: FromQuery[str | None] = None,
        governorate: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        day, rows = report_rows(request, day, governorate)
        return xlsx_response(rows, COLUMNS, f"kitchens-{day}")
