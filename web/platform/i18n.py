"""Translations from the Babel catalogues, and the choice of language per request."""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = ("ar", "en")
DEFAULT_LOCALE = "ar"
LANGUAGE_COOKIE = "katf_lang"
CATALOGUES = Path(__file__).parents[1] / "translations"


def N_(message: str) -> str:  # noqa: N802 - the marker Babel extracts
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """Reads the .po catalogue directly, so no compiled files are kept in the repository."""
    path = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return gettext.NullTranslations()
    with open(path, "rb") as file:
        catalog = read_po(file, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def gettext_for(locale: str, message: str, **values: object) -> str:
    text = translations(locale).gettext(message)
    return text % values if values else text


def negotiate(query_lang: str | None, cookie_lang: str | None, accept_language: str) -> str:
    for choice in (query_lang, cookie_lang):
        if choice in LOCALES:
            return choice
    wanted = [part.split(";")[0].strip().replace("-", "_") for part in accept_language.split(",")]
    chosen = Locale.negotiate([w for w in wanted if w], LOCALES, sep="_")
    return str(chosen.language) if chosen else DEFAULT_LOCALE


def direction(locale: str) -> str:
    return "rtl" if locale == "ar" else "ltr"
