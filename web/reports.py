"""The daily kitchen report as CSV or XLSX, for a governorate or the whole country."""

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
from web.guards import requires_sign_in
from web.kitchen_access import check_governorate, check_national
from web.kitchens import today

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


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(rows: list[dict[str, Any]], day: str) -> bytes:
    out = io.BytesIO()
    with Workbook(out, {"in_memory": True}) as book:
        sheet = book.add_worksheet(day)
        bold = book.add_format({"bold": True})
        sheet.write_row(0, 0, COLUMNS, bold)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, [row[c] for c in COLUMNS])
    return out.getvalue()


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
        return Response(
            as_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="kitchens-{day}.csv"',
                "Cache-Control": "no-store",
            },
        )

    @get("/xlsx", sync_to_thread=True)
    def xlsx_report(
        self,
        request: Request[Any, Any, Any],
        day: FromQuery[str | None] = None,
        governorate: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        day, rows = report_rows(request, day, governorate)
        return Response(
            as_xlsx(rows, day),
            media_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            headers={
                "Content-Disposition": f'attachment; filename="kitchens-{day}.xlsx"',
                "Cache-Control": "no-store",
            },
        )
