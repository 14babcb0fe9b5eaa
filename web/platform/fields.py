"""What the pages and the API read from requests, and the campaign's today, alike in every area."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar.params import HeaderParameter

from coordination.calendar import CAMPAIGN_TIMEZONE

# The header that makes a retried API call record once what it records.
IdempotencyKey = Annotated[
    str, HeaderParameter(name="Idempotency-Key", min_length=1, max_length=100)
]


def today() -> str:
    return datetime.now(CAMPAIGN_TIMEZONE).date().isoformat()


def point_of(text: str) -> UUID | None:
    try:
        return UUID(text.strip()) if text.strip() else None
    except ValueError:
        return None


WESTERN_DECIMAL = str.maketrans("٠١٢٣٤٥٦٧٨٩٫,", "0123456789..")


def decimal_of(text: str) -> float | None:
    """A decimal number typed in a form (a latitude), in Western or Arabic-Indic digits, with a
    point, a comma or the Arabic decimal separator; None when blank; NaN when no number, which
    each command refuses in its own words (a place outside Egypt)."""
    text = text.strip().translate(WESTERN_DECIMAL)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return float("nan")


def count_of(text: str) -> int:
    """A whole number typed in a form, in Western or Arabic-Indic digits; 0 for anything else
    (each command refuses a count of 0 in its own words). ``isdecimal``, not ``isdigit``: a
    superscript "²" is a digit that ``int`` refuses."""
    return int(text) if text.strip().isdecimal() else 0
