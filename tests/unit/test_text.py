"""Free text kept safe: refused when it holds what cannot be shown, normalised otherwise."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from coordination.areas.packing.commands import AddLine
from coordination.areas.tickets.commands import AddNote
from coordination.text import (
    ANY_TEXT_LIMIT,
    TextTooLong,
    UnsafeCharacters,
    clean_text,
    cleaned,
)

SITE = __import__("uuid").uuid4()


@pytest.mark.parametrize(
    "unsafe",
    ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u202e", "\u2066", "\u2069", "\ud800", "\t"],
)
def test_a_name_with_a_control_bidi_or_surrogate_character_is_refused(unsafe: str) -> None:
    with pytest.raises(UnsafeCharacters):
        clean_text(f"Line{unsafe}A", 60)


def test_long_text_keeps_its_lines_and_tabs_but_not_other_controls() -> None:
    assert clean_text("first\r\n\tsecond  line\n\n\n\nthird ", 100, multiline=True) == (
        "first\nsecond line\n\nthird"
    )
    with pytest.raises(UnsafeCharacters):
        clean_text("first\x00second", 100, multiline=True)


def test_a_name_is_normalised_nfc_with_its_spaces_collapsed() -> None:
    decomposed = "Cafe\u0301"
    assert clean_text(f"  {decomposed}   du \u00a0 Nil ", 60) == "Caf\u00e9 du Nil"
    assert clean_text("خط   التعبئة ١", 60) == "خط التعبئة ١"


def test_a_name_longer_than_its_bound_is_refused_with_the_bound() -> None:
    with pytest.raises(TextTooLong) as refused:
        clean_text("x" * 61, 60)
    assert refused.value.context == {"maximum": 60}


def test_a_command_is_cleaned_by_its_declared_kinds() -> None:
    line = cleaned(AddLine(SITE, "  Line   A ", " North ", 100))
    assert (line.name, line.zone) == ("Line A", "North")
    with pytest.raises(UnsafeCharacters):
        cleaned(AddLine(SITE, "Line\x00A", "North", 100))
    note = cleaned(AddNote(SITE, "called\n\nback "))
    assert note.text == "called\n\nback"


def test_an_undeclared_text_field_is_refused_its_controls_but_kept_as_sent() -> None:
    @dataclass(frozen=True)
    class Undeclared:
        password: str
        links: dict[str, str]

    kept = Undeclared("  two  spaces ", {"a": "b"})
    assert cleaned(kept) is kept
    with pytest.raises(UnsafeCharacters):
        cleaned(Undeclared("pass\x00word", {}))
    with pytest.raises(UnsafeCharacters):
        cleaned(Undeclared("password", {"site": "x\x00"}))
    with pytest.raises(TextTooLong):
        cleaned(Undeclared("p" * (ANY_TEXT_LIMIT + 1), {}))
