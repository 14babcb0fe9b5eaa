"""Every sentence a person reads has an Arabic translation in the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from web.platform.i18n import catalogue_files

ROOT = Path(__file__).resolve().parents[2]
METHODS = [
    ("**/web/**.py", "python"),
    ("**/coordination/**.py", "python"),
    ("**/web/*/templates/**.html", "jinja2"),
]
OPTIONS = {"**/web/*/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}


def extracted() -> set[str]:
    found = extract_from_dir(
        ROOT,
        METHODS,
        keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
        options_map=OPTIONS,
    )
    # a plural entry (ngettext) is known by its singular, as the catalogue keys it
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def arabic() -> dict[str, str]:
    entries: dict[str, str] = {}
    for path in catalogue_files("ar"):
        with open(path, "rb") as file:
            for m in read_po(file):
                if m.id and isinstance(m.id, str) and m.string:
                    entries[m.id] = m.string
    return entries


def arabic_plurals() -> dict[str, tuple[str, ...]]:
    """Plural entries (ngettext) by their singular: Arabic's six forms."""
    entries: dict[str, tuple[str, ...]] = {}
    for path in catalogue_files("ar"):
        with open(path, "rb") as file:
            entries.update({m.id[0]: m.string for m in read_po(file) if isinstance(m.id, tuple)})
    return entries


def test_every_message_is_translated_to_arabic() -> None:
    messages, catalogue = extracted(), {**arabic(), **arabic_plurals()}
    assert len(messages) > 50
    missing = sorted(m for m in messages if not catalogue.get(m) or not all(catalogue[m]))
    assert missing == []


def test_plural_entries_give_arabic_all_six_forms() -> None:
    for path in catalogue_files("ar"):
        with open(path, "rb") as file:
            for m in read_po(file):
                if isinstance(m.id, tuple):
                    assert len(m.string) == 6 and all(m.string), m.id[0]
                    wanted = set(re.findall(r"%\(\w+\)s", m.id[1]))
                    for form in m.string:  # a form may say the number in words ("مكانان")
                        assert set(re.findall(r"%\(\w+\)s", form)) <= wanted, form


def test_translations_keep_their_placeholders() -> None:
    for source, translation in arabic().items():
        placeholders = set(re.findall(r"%\(\w+\)s", source))
        assert placeholders == set(re.findall(r"%\(\w+\)s", translation)), source
