"""Egyptian identifiers: governorates, mobile numbers, national ID numbers."""

from __future__ import annotations

from datetime import date

import pytest

from coordination.governorates import GOVERNORATES, UnknownGovernorate, get_governorate
from coordination.identity import (
    InvalidPhone,
    NationalIdBirthDate,
    NationalIdCentury,
    NationalIdGovernorate,
    NationalIdLength,
    mask_phone,
    parse_mobile,
    parse_national_id,
)

TODAY = date(2026, 11, 23)


def test_twenty_seven_governorates_with_unique_codes_and_names() -> None:
    assert len(GOVERNORATES) == 27
    assert len({g.code for g in GOVERNORATES}) == 27
    assert len({g.name_ar for g in GOVERNORATES}) == len({g.name_en for g in GOVERNORATES}) == 27


@pytest.mark.parametrize("code", ["1", "01", "٠١", " 01 "])
def test_governorate_codes_are_read_leniently(code: str) -> None:
    assert get_governorate(code).name_en == "Cairo"


@pytest.mark.parametrize("code", ["", "00", "05", "88", "99", "Cairo", "001"])
def test_unknown_governorates_are_refused(code: str) -> None:
    with pytest.raises(UnknownGovernorate):
        get_governorate(code)


@pytest.mark.parametrize(
    "text",
    [
        "01012345678",
        "+201012345678",
        "00201012345678",
        "010 1234 5678",
        "010-1234-5678",
        "٠١٠١٢٣٤٥٦٧٨",
        "۰۱۰۱۲۳۴۵۶۷۸",
    ],
)
def test_egyptian_mobiles_are_normalised(text: str) -> None:
    assert parse_mobile(text) == "+201012345678"


@pytest.mark.parametrize(
    "text", ["", "0223456789", "+447911123456", "0101234567", "010123456789", "phone", "1" * 5000]
)
def test_other_numbers_are_refused(text: str) -> None:
    with pytest.raises(InvalidPhone):
        parse_mobile(text)


def test_masked_phones_keep_only_the_ends() -> None:
    assert mask_phone("+201012345634") == "+20 10• ••• ••34"


def test_a_valid_national_id_is_read() -> None:
    nid = parse_national_id("٢٩٠٠٢٢٨٢١٠٠١٢٣", today=TODAY)
    assert nid.birth_date == date(1990, 2, 28)
    assert nid.governorate_code == "21" and nid.last_four == "0123"
    assert parse_national_id("30501018800015", today=TODAY).governorate_code == "88"


@pytest.mark.parametrize(
    "text, error",
    [
        ("2900101010001", NationalIdLength),
        ("290010101000155", NationalIdLength),
        ("2900101010001x", NationalIdLength),
        ("19001010100015", NationalIdCentury),
        ("49001010100015", NationalIdCentury),
        ("29002300100015", NationalIdBirthDate),
        ("29013010100015", NationalIdBirthDate),
        ("32701010100015", NationalIdBirthDate),
        ("29001010500015", NationalIdGovernorate),
        ("29001019900015", NationalIdGovernorate),
    ],
)
def test_invalid_national_ids_say_why(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_national_id(text, today=TODAY)
