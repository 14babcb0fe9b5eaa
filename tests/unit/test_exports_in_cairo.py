"""Exports give moments on Cairo's clock with the offset, as a reader in Egypt reads them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from web.platform.downloads import csv_response, in_cairo, xlsx_response

ROW = {"name": "=SUM(A1)", "checked_in_at": "2026-12-04T06:00:00+00:00", "count": 3}
COLUMNS = ("name", "checked_in_at", "count")


def test_a_moment_is_written_in_cairo_time_with_its_offset() -> None:
    assert in_cairo("checked_in_at", "2026-12-04T06:00:00+00:00") == "2026-12-04T08:00:00+02:00"
    summer = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # Egypt keeps summer time again since 2023
    assert in_cairo("opened_at", summer) == "2026-07-01T09:00:00+03:00"
    assert in_cairo("day", "2026-12-04") == "2026-12-04", "a day is not a moment"
    assert in_cairo("noted_at", "not a time") == "not a time"


def test_csv_and_xlsx_exports_carry_cairo_time() -> None:
    text = csv_response([ROW], COLUMNS, "x").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["'=SUM(A1)", "2026-12-04T08:00:00+02:00", "3"]
    book = load_workbook(io.BytesIO(xlsx_response([ROW], COLUMNS, "x").content))
    assert [c.value for c in book.active[2]] == ["=SUM(A1)", "2026-12-04T08:00:00+02:00", 3]
