"""Egyptian mobile numbers and national ID numbers: parsed, checked, normalised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import phonenumbers
from phonenumbers import PhoneNumberType

from coordination.errors import InvalidInput
from coordination.governorates import ARABIC_DIGITS, is_governorate_code

BORN_ABROAD = "88"
CENTURIES = {"2": 1900, "3": 2000}
MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalise_digits(text: str) -> str:
    return (text or "").translate(ARABIC_DIGITS).strip()


def parse_mobile(text: str) -> str:
    """An Egyptian mobile number in E.164 form, e.g. ``+201012345678``."""
    raw = normalise_digits(text)
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if len(raw) > 30:
        raise InvalidPhone()
    try:
        number = phonenumbers.parse(raw, "EG")
    except phonenumbers.NumberParseException:
        raise InvalidPhone() from None
    if (
        number.country_code != 20
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise InvalidPhone()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_contact_phone(text: str) -> str:
    """Any valid Egyptian number, landlines included, in E.164 form; empty stays empty."""
    raw = normalise_digits(text)
    if not raw:
        return ""
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw[:30], "EG")
    except phonenumbers.NumberParseException:
        raise InvalidPhone() from None
    if number.country_code != 20 or not phonenumbers.is_valid_number(number):
        raise InvalidPhone()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """``+201012345634`` -> ``+20 10• ••• ••34``: enough to recognise, not to call."""
    national = e164.removeprefix("+20")
    hidden = "•" * (len(national) - 4)
    shown = national[:2] + hidden + national[-2:]
    return f"+20 {shown[:3]} {shown[3:6]} {shown[6:]}"


@dataclass(frozen=True)
class NationalId:
    digits: str
    birth_date: date
    governorate_code: str

    @property
    def last_four(self) -> str:
        return self.digits[-4:]


def parse_national_id(text: str, *, today: date | None = None) -> NationalId:
    digits = normalise_digits(text).replace(" ", "").replace("-", "")
    if len(digits) != 14 or not digits.isascii() or not digits.isdigit():
        raise NationalIdLength()
    century = CENTURIES.get(digits[0])
    if century is None:
        raise NationalIdCentury()
    try:
        born = date(century + int(digits[1:3]), int(digits[3:5]), int(digits[5:7]))
    except ValueError:
        raise NationalIdBirthDate() from None
    if born > (today or date.today()):
        raise NationalIdBirthDate()
    code = digits[7:9]
    if code != BORN_ABROAD and not is_governorate_code(code):
        raise NationalIdGovernorate()
    return NationalId(digits, born, code)


class InvalidPhone(InvalidInput):
    code = "invalid_phone"


class InvalidNationalId(InvalidInput):
    code = "invalid_national_id"


class NationalIdLength(InvalidNationalId):
    code = "national_id_length"


class NationalIdCentury(InvalidNationalId):
    code = "national_id_century"


class NationalIdBirthDate(InvalidNationalId):
    code = "national_id_birth_date"


class NationalIdGovernorate(InvalidNationalId):
    code = "national_id_governorate"
