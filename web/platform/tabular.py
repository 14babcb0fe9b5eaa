"""Uploaded tables (CSV or XLSX) as rows of named fields; Arabic or English headers."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator

from openpyxl import load_workbook

from coordination.errors import InvalidInput

Row = dict[str, str]


def normalised(header: str) -> str:
    text = unicodedata.normalize("NFKC", header or "").strip().casefold()
    return " ".join(text.replace("_", " ").split())


def read_table(
    filename: str,
    data: bytes,
    aliases: dict[str, tuple[str, ...]],
    optional: tuple[str, ...] = (),
) -> list[Row]:
    """Rows keyed by field name; a header is matched against each field's aliases."""
    lookup = {normalised(alias): field for field, names in aliases.items() for alias in names}
    raw = _xlsx(data) if filename.lower().endswith(".xlsx") else _csv(data)
    try:
        headers = next(raw)
    except StopIteration:
        raise EmptyTable() from None
    fields = [lookup.get(normalised(header)) for header in headers]
    missing = set(aliases) - set(optional) - set(fields)
    if missing:
        raise MissingColumns(columns=", ".join(sorted(missing)))
    return [
        {field: value.strip() for field, value in zip(fields, values, strict=False) if field}
        for values in raw
        if any(value.strip() for value in values)
    ]


def _csv(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableTable() from None
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx(data: bytes) -> Iterator[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - whatever the file is, it is not a workbook we can read
        raise UnreadableTable() from None
    sheet = book.active
    if sheet is None:  # a workbook without a sheet
        raise UnreadableTable()
    for values in sheet.iter_rows(values_only=True):
        yield ["" if value is None else _text(value) for value in values]


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class EmptyTable(InvalidInput):
    code = "empty_table"


class UnreadableTable(InvalidInput):
    code = "unreadable_table"


class MissingColumns(InvalidInput):
    code = "missing_columns"
