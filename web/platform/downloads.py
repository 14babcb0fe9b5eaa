"""Tables as downloads: CSV that spreadsheet programs read right, or an XLSX workbook.

Every cell a person typed (a name, a label, a note) reaches a spreadsheet program inert: text
that would start a formula gets a leading quote in CSV, as OWASP's CSV-injection guidance says,
and an XLSX workbook writes every string as a string, never as a formula or a link.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from urllib.parse import quote

from litestar import Response
from xlsxwriter import Workbook

from coordination.calendar import CAMPAIGN_TIMEZONE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INERT_WORKBOOK = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


def inert(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, quoted; numbers and the rest as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def in_cairo(column: str, value: Any) -> Any:
    """A moment (a column named ``*_at``) as Cairo's clock read it, with its offset
    (2026-12-04T08:00:00+02:00): the log keeps UTC, a spreadsheet's reader lives in Cairo."""
    if not column.endswith("_at") or not value:
        return value
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(CAMPAIGN_TIMEZONE).isoformat(timespec="seconds")


def cells(row: dict[str, Any], columns: tuple[str, ...]) -> list[Any]:
    return [in_cairo(column, row.get(column)) for column in columns]


def csv_response(
    rows: list[dict[str, Any]], columns: tuple[str, ...], name: str
) -> Response[bytes]:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Arabic right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([inert(cell) for cell in cells(row, columns)] for row in rows)
    return download(("\ufeff" + out.getvalue()).encode(), "text/csv; charset=utf-8", name, "csv")


def xlsx_response(
    rows: list[dict[str, Any]], columns: tuple[str, ...], name: str
) -> Response[bytes]:
    return workbook_response({name: (rows, columns)}, name)


def workbook_response(
    sheets: dict[str, tuple[list[dict[str, Any]], tuple[str, ...]]], name: str
) -> Response[bytes]:
    """One sheet per table, a bold header row each."""
    out = io.BytesIO()
    with Workbook(out, INERT_WORKBOOK) as book:
        bold = book.add_format({"bold": True})
        for title, (rows, columns) in sheets.items():
            sheet = book.add_worksheet(title[:31])
            sheet.write_row(0, 0, columns, bold)
            for number, row in enumerate(rows, start=1):
                sheet.write_row(number, 0, cells(row, columns))
    return download(out.getvalue(), XLSX, name, "xlsx")


def download(body: bytes, media_type: str, name: str, extension: str) -> Response[bytes]:
    """A header holds ASCII only: the name as typed goes in ``filename*``, percent-encoded."""
    plain = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in name
    )
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{plain}.{extension}";'
            f" filename*=UTF-8''{quote(name)}.{extension}",
            "Cache-Control": "no-store",
        },
    )
