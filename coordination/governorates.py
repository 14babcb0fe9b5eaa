"""Egypt's 27 governorates, with the two-digit codes used in national ID numbers."""

from __future__ import annotations

from dataclasses import dataclass

from coordination.errors import InvalidInput

ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(frozen=True)
class Governorate:
    code: str
    name_ar: str
    name_en: str
    latitude: float
    longitude: float

    def name(self, locale: str) -> str:
        return self.name_ar if locale == "ar" else self.name_en


GOVERNORATES: tuple[Governorate, ...] = (
    Governorate("01", "القاهرة", "Cairo", 30.0444, 31.2357),
    Governorate("02", "الإسكندرية", "Alexandria", 31.2001, 29.9187),
    Governorate("03", "بورسعيد", "Port Said", 31.2653, 32.3019),
    Governorate("04", "السويس", "Suez", 29.9668, 32.5498),
    Governorate("11", "دمياط", "Damietta", 31.4165, 31.8133),
    Governorate("12", "الدقهلية", "Dakahlia", 31.0409, 31.3785),
    Governorate("13", "الشرقية", "Sharqia", 30.5877, 31.5020),
    Governorate("14", "القليوبية", "Qalyubia", 30.4660, 31.1848),
    Governorate("15", "كفر الشيخ", "Kafr El Sheikh", 31.1107, 30.9388),
    Governorate("16", "الغربية", "Gharbia", 30.7865, 31.0004),
    Governorate("17", "المنوفية", "Monufia", 30.5503, 31.0106),
    Governorate("18", "البحيرة", "Beheira", 31.0341, 30.4682),
    Governorate("19", "الإسماعيلية", "Ismailia", 30.5965, 32.2715),
    Governorate("21", "الجيزة", "Giza", 30.0131, 31.2089),
    Governorate("22", "بني سويف", "Beni Suef", 29.0661, 31.0994),
    Governorate("23", "الفيوم", "Fayoum", 29.3084, 30.8428),
    Governorate("24", "المنيا", "Minya", 28.0871, 30.7618),
    Governorate("25", "أسيوط", "Assiut", 27.1783, 31.1859),
    Governorate("26", "سوهاج", "Sohag", 26.5591, 31.6957),
    Governorate("27", "قنا", "Qena", 26.1551, 32.7160),
    Governorate("28", "أسوان", "Aswan", 24.0889, 32.8998),
    Governorate("29", "الأقصر", "Luxor", 25.6872, 32.6396),
    Governorate("31", "البحر الأحمر", "Red Sea", 27.2579, 33.8116),
    Governorate("32", "الوادي الجديد", "New Valley", 25.4390, 30.5586),
    Governorate("33", "مطروح", "Matrouh", 31.3543, 27.2373),
    Governorate("34", "شمال سيناء", "North Sinai", 31.1316, 33.7984),
    Governorate("35", "جنوب سيناء", "South Sinai", 28.2364, 33.6254),
)

_BY_CODE = {governorate.code: governorate for governorate in GOVERNORATES}


def normal_code(code: str) -> str:
    text = (code or "").strip().translate(ARABIC_DIGITS)
    return text.zfill(2) if text.isdigit() and len(text) <= 2 else text


def is_governorate_code(code: str) -> bool:
    return normal_code(code) in _BY_CODE


def get_governorate(code: str) -> Governorate:
    try:
        return _BY_CODE[normal_code(code)]
    except KeyError:
        raise UnknownGovernorate(code=code) from None


def governorate_named(text: str) -> Governorate:
    """By its code or its name in Arabic or English, as typed in a spreadsheet."""
    name = " ".join((text or "").split()).casefold()
    for governorate in GOVERNORATES:
        if name in (governorate.name_ar, governorate.name_en.casefold()):
            return governorate
    return get_governorate(text)


class UnknownGovernorate(InvalidInput):
    code = "unknown_governorate"
