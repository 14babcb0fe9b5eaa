"""Uploaded tables (CSV or XLSX) as rows of named fields; Arabic or English headers.

Reading costs what the file holds, never what it claims: a workbook's declared size is
ignored, rows are read up to ``MAX_ROWS`` and only as wide as ``MAX_COLUMNS``, and a long run
of empty rows ends the table.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator

from openpyxl import load_workbook

from coordination.errors import InvalidInput

Row = dict[str, str]
MAX_ROWS = 100_000  # a governorate point's list on the launch day is about 56,000
MAX_COLUMNS = 50
EMPTY_RUN = 1_000


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
        fields = [lookup.get(normalised(header)) for header in headers]
        required = set(aliases) - set(optional)
        if len([h for h in headers if h.strip()]) == 1 and len(required) > 1:
            raise OneColumn(columns=", ".join(sorted(required)))
        missing = required - set(fields)
        if missing:
            raise MissingColumns(columns=", ".join(sorted(missing)))
        return list(_rows(raw, fields))
    except StopIteration:
        raise EmptyTable() from None
    except csv.Error as error:
        if "field limit" in str(error):
            raise FieldTooLong(limit=csv.field_size_limit()) from None
        raise UnreadableTable() from None


def _rows(raw: Iterator[list[str]], fields: list[str | None]) -> Iterator[Row]:
    read = empty = 0
    for values in raw:
        read += 1
        if not any(value.strip() for value in values):
            empty += 1
            if empty >= EMPTY_RUN:
                return  # the rest is padding
            continue
        empty = 0
        if read > MAX_ROWS:
            raise TooManyRows(limit=MAX_ROWS)
        yield {field: value.strip() for field, value in zip(fields, values, strict=False) if field}


def _csv(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableTable() from None
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:  # one column, or nothing a delimiter could be guessed from
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx(data: bytes) -> Iterator[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - whatever the file is, it is not a workbook we can read
        raise UnreadableTable() from None
    sheet = book.active
    if sheet is None:  # a workbook without a sheet
        raise UnreadableTable()
    sheet.reset_dimensions()  # the declared size may be a lie: read the cells there are
    for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
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


class OneColumn(InvalidInput):
    code = "one_column"


class FieldTooLong(InvalidInput):
    code = "field_too_long"


class TooManyRows(InvalidInput):
    code = "too_many_rows"
