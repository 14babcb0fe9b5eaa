"""Translations from the Babel catalogues, and the choice of language per request."""

from __future__ import annotations

import gettext
import os
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALES = ("ar", "en")
DEFAULT_LOCALE = "ar"
LANGUAGE_COOKIE = "katf_lang"
CATALOGUES = Path(__file__).parents[1] / "translations"


def N_(message: str) -> str:  # noqa: N802 - the marker Babel extracts
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message


def catalogue_files(locale: str) -> list[Path]:
    """``messages.po`` first, then any other catalogue beside it, by name; a sentence in a
    later catalogue replaces the same sentence in an earlier one."""
    folder = CATALOGUES / locale / "LC_MESSAGES"
    main = folder / "messages.po"
    others = sorted(p for p in folder.glob("*.po") if p != main)
    return [p for p in (main, *others) if p.exists()]


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """Reads the .po catalogues directly, so no compiled files are kept in the repository."""
    paths = catalogue_files(locale)
    if not paths:
        return gettext.NullTranslations()
    with open(paths[0], "rb") as file:
        catalog = read_po(file, locale=locale)
    for path in paths[1:]:
        with open(path, "rb") as file:
            for message in read_po(file, locale=locale):
                if message.id and message.string:
                    # a later catalogue's sentence replaces an earlier one's: babel's
                    # catalogue would otherwise merge it into the first and keep its string
                    catalog.delete(message.id)
                    catalog[message.id] = message
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return (
        InDigits(fp=buffer, locale=locale)
        if numbering(locale) == "arab"
        else Translations(fp=buffer)
    )


class InDigits(Translations):
    """A catalogue whose sentences write their own numbers ("8 to 64 characters") in the
    page's Arabic-Indic digits; the values put into them are written by ``number``."""

    def __init__(self, fp: BytesIO, locale: str) -> None:
        super().__init__(fp=fp)
        self.page_locale = locale

    def gettext(self, message: str) -> str:
        return in_digits(super().gettext(message), self.page_locale)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return in_digits(super().ngettext(msgid1, msgid2, n), self.page_locale)

    ugettext = gettext  # the names Jinja's i18n extension looks for first
    ungettext = ngettext


def gettext_for(locale: str, message: str, **values: object) -> str:
    text = translations(locale).gettext(message)
    return text % {key: written(value, locale) for key, value in values.items()} if values else text


def ngettext_for(locale: str, singular: str, plural: str, n: int, **values: object) -> str:
    """The sentence's form for ``n`` in ``locale``, its values written in the page's digits."""
    text = translations(locale).ngettext(singular, plural, n)
    return text % {key: written(value, locale) for key, value in values.items()}


def written(value: object, locale: str) -> object:
    """A count put into a sentence is written in the page's digits; anything else as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value, locale)
    return value


def negotiate(query_lang: str | None, cookie_lang: str | None, accept_language: str) -> str:
    for choice in (query_lang, cookie_lang):
        if choice in LOCALES:
            return choice
    wanted = [part.split(";")[0].strip().replace("-", "_") for part in accept_language.split(",")]
    chosen = Locale.negotiate([w for w in wanted if w], LOCALES, sep="_")
    return str(chosen.language) if chosen else DEFAULT_LOCALE


def direction(locale: str) -> str:
    return "rtl" if locale == "ar" else "ltr"


# How Arabic pages write numbers: Arabic-Indic digits (arab, the default) or Western (latn).
ARABIC_DIGITS_SETTING = "KATF_ARABIC_DIGITS"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def numbering(locale: str) -> str:
    """The digits a page in ``locale`` writes: one style throughout the page."""
    if locale != "ar":
        return "latn"
    return "latn" if os.environ.get(ARABIC_DIGITS_SETTING, "arab") == "latn" else "arab"


def babel_locale(locale: str) -> str:
    return "ar_EG" if locale == "ar" else "en_GB"


def in_digits(text: str, locale: str) -> str:
    """Babel's dates and times come with Western digits; an Arabic-Indic page rewrites them."""
    return text.translate(ARABIC_INDIC) if numbering(locale) == "arab" else text


def separator(locale: str) -> str:
    """What joins two facts on a line: on an Arabic page the Arabic comma, as a middle dot
    beside Arabic-Indic digits reads as a zero ("٢٠٢٦ · ٢٤" as "٢٠٢٦ ٠ ٢٤") and a bar as a one."""
    return "، " if locale == "ar" else " · "


def entered(value: object, locale: str) -> str:
    """A number as the reader would type it into a field: the page's digits and decimal
    separator (٣٠٫٠٥), no grouping; nothing for no value. The pages read either back."""
    if value is None:
        return ""
    text = str(value)
    return in_digits(text, locale).replace(".", "٫") if numbering(locale) == "arab" else text


def left_to_right(text: str, locale: str) -> str:
    """A phone number or an ID in the page's digits, its groups kept in reading order: spaces
    between Arabic-Indic groups would take the right-to-left direction even inside an
    isolate (<bdi dir="ltr">), so each group starts with a left-to-right mark."""
    written = in_digits(text, locale)
    if written == text:
        return text
    return " ".join("\u200e" + group for group in written.split(" "))


def number(value: float | int, locale: str, *, fraction: int | None = None) -> str:
    """A number as the reader writes it (12,345 / ١٢٬٣٤٥; 1.5 / ١٫٥)."""
    return _number(value, locale, fraction, numbering(locale))


@lru_cache(maxsize=8192, typed=True)
def _number(value: float | int, locale: str, fraction: int | None, system: str) -> str:
    """Written once per value: Babel takes tens of microseconds for a number, and a refusal
    ("the shift is full: 48 places") writes one on every answer."""
    pattern = None if fraction is None else "#,##0." + "0" * fraction
    written = format_decimal(
        value, format=pattern, locale=babel_locale(locale), numbering_system=system
    )
    return in_digits(written, locale)


def chart_locale(locale: str) -> str:
    """The locale a chart's tick formatter writes in: the page's own digits."""
    if locale != "ar":
        return locale
    return "ar-EG" if numbering(locale) == "arab" else "ar-EG-u-nu-latn"
