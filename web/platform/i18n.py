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


def catalogue_files(locale: str) -> list[Path]:
    """``messages.po`` first, then any other catalogue beside it, by name."""
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
                    catalog[message.id] = message
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
