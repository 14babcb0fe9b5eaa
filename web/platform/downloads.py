"""Tables as downloads: CSV that spreadsheet programs read right, or an XLSX workbook."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar import Response
from xlsxwriter import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
