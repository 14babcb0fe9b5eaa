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
        ROOT, METHODS, keywords={"_": None, "N_": None, "gettext": None}, options_map=OPTIONS
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def arabic() -> dict[str, str]:
    entries: dict[str, str] = {}
    for path in catalogue_files("ar"):
        with open(path, "rb") as file:
            entries.update({m.id: m.string for m in read_po(file) if m.id and m.string})
    return entries


def test_every_message_is_translated_to_arabic() -> None:
    messages, catalogue = extracted(), arabic()
    assert len(messages) > 50
    missing = sorted(m for m in messages if not catalogue.get(m))
    assert missing == []


def test_translations_keep_their_placeholders() -> None:
    for source, translation in arabic().items():
        placeholders = set(re.findall(r"%\(\w+\)s", source))
        assert placeholders == set(re.findall(r"%\(\w+\)s", translation)), source
