"""Reports as CSV or XLSX; the daily kitchen report for a governorate or the whole country."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import ValidationException
from litestar.params import FromQuery
from xlsxwriter import Workbook

from coordination.governorates import get_governorate
from projections.kitchen_dashboard import kitchens_on
from web.auth import actor_of, services_of
from web.guards import check_governorate, check_national, requires_sign_in
from web.kitchens import today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


def csv_response(
    rows: list[dict[str, Any]], columns: tuple[str, ...], name: str
) -> Response[bytes]:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Arabic right."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        ("\ufeff" + out.getvalue()).encode(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"',
            "Cache-Control": "no-store",
        },
    )


def xlsx_response(
    rows: list[dict[str, Any]], columns: tuple[str, ...], name: str
) -> Response[bytes]:
    return workbook_response({name: (rows, columns)}, name)


def workbook_response(
    sheets: dict[str, tuple[list[dict[str, Any]], tuple[str, ...]]], name: str
) -> Response[bytes]:
    """One sheet per table, a bold header row each."""
    out = io.BytesIO()
    with Workbook(out, {"in_memory": True}) as book:
        bold = book.add_format({"bold": True})
        for title, (rows, columns) in sheets.items():
            sheet = book.add_worksheet(title[:31])
            sheet.write_row(0, 0, columns, bold)
            for number, row in enumerate(rows, start=1):
                sheet.write_row(number, 0, [row.get(c) for c in columns])
    return Response(
        out.getvalue(),
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.xlsx"',
            "Cache-Control": "no-store",
        },
    )


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
