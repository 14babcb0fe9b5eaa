"""Numbers as people type them into the pages' fields, and as the fields offer them back."""

from __future__ import annotations

import math

import pytest

from web.platform.fields import count_of, decimal_of
from web.platform.i18n import entered


@pytest.mark.parametrize(
    ("typed", "read"),
    [("40", 40), ("٤٠", 40), (" ١٢٠٠ ", 1200), ("", 0), ("²", 0), ("-3", 0), ("4.5", 0)],
)
def test_a_count_is_read_in_either_digits_and_anything_else_is_none(typed: str, read: int) -> None:
    assert count_of(typed) == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [("30.0444", 30.0444), ("٣٠٫٠٤٤٤", 30.0444), ("31,2357", 31.2357), ("٣١.٥", 31.5)],
)
def test_a_decimal_is_read_with_any_digits_and_separator(typed: str, read: float) -> None:
    assert decimal_of(typed) == pytest.approx(read)


def test_a_blank_decimal_is_none_and_a_word_is_no_number() -> None:
    assert decimal_of("  ") is None
    not_a_number = decimal_of("north")
    assert not_a_number is not None and math.isnan(not_a_number)


def test_a_field_offers_a_number_in_the_page_s_digits_without_grouping() -> None:
    assert entered(30.0444, "ar") == "٣٠٫٠٤٤٤"
    assert entered(4000, "ar") == "٤٠٠٠"
    assert entered(30.0444, "en") == "30.0444"
    assert entered(None, "ar") == ""
    for value in (30.0444, 4000):
        assert decimal_of(entered(value, "ar")) == pytest.approx(value), "read back as offered"
