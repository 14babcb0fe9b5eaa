"""What people type, made safe to keep: one validated text type for every free-text field.

A command declares the kind of each free-text field (``@free_text(name=NAME, note=LONG)``);
the dispatcher cleans every command before its handler sees it (``cleaned``). A character
that cannot be shown (a control character, a lone surrogate) or that turns the order of what
follows around (a bidirectional override or isolate) is refused, never quietly dropped, in
every text field of every command, declared or not; a declared field is also normalised
(NFC, runs of spaces collapsed, trimmed) and bounded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, TypeVar

from coordination.errors import InvalidInput

C = TypeVar("C", bound=type)

# C0 and C1 controls, lone surrogates, bidirectional embeddings, overrides and isolates
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
UNSAFE_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
SPACES = re.compile(r"[^\S\n]+")  # whitespace other than a line break
BLANK_LINES = re.compile(r"\n{3,}")
ANY_TEXT_LIMIT = 10_000  # a field no command declares: a password, an id, a code


class TextTooLong(InvalidInput):
    code = "text_too_long"


class UnsafeCharacters(InvalidInput):
    code = "unsafe_characters"


@dataclass(frozen=True)
class Text:
    """The kind of text a field holds: its bound, whether it may hold lines (and tabs),
    whether it is normalised (an idempotency key is kept as sent)."""

    max_length: int
    multiline: bool = False
    normalised: bool = True


NAME = Text(160)  # a site's, an association's, a round's or a line's name; a dish; a place
LABEL = Text(80)  # a desk's or a device's label, a zone, a reason
LONG = Text(4000, multiline=True)  # a ticket's description, a note, an outcome
KEY = Text(200, normalised=False)  # an idempotency key, a badge, a phone as typed
ANY = Text(ANY_TEXT_LIMIT, normalised=False)


def clean_text(
    value: str, max_length: int, multiline: bool = False, normalised: bool = True
) -> str:
    """The text as it will be kept, or ``UnsafeCharacters`` / ``TextTooLong`` (HTTP 422)."""
    if not isinstance(value, str):
        raise UnsafeCharacters()
    if multiline:
        value = LINE_BREAKS.sub("\n", value)
    if (UNSAFE_IN_LINES if multiline else UNSAFE).search(value):
        raise UnsafeCharacters()
    if normalised:
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        if multiline:
            lines = (SPACES.sub(" ", line).strip() for line in value.split("\n"))
            value = BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
        else:
            value = " ".join(value.split())
    if len(value) > max_length:
        raise TextTooLong(maximum=max_length)
    return value


_DECLARED: dict[type, dict[str, Text]] = {}


def free_text(**kinds: Text) -> Callable[[C], C]:
    """Declares the kinds of a command's free-text fields."""

    def declare(cls: C) -> C:
        _DECLARED[cls] = kinds
        return cls

    return declare


_PLANS: dict[type, tuple[tuple[str, Text], ...]] = {}


def cleaned(command: Any) -> Any:
    """The command with its text fields cleaned; ``UnsafeCharacters`` or ``TextTooLong``."""
    kind_of = type(command)
    plan = _PLANS.get(kind_of)
    if plan is None:
        plan = _PLANS[kind_of] = _plan(kind_of)
    changes: dict[str, Any] = {}
    for name, kind in plan:
        value = getattr(command, name)
        if isinstance(value, str):
            text = clean_text(value, kind.max_length, kind.multiline, kind.normalised)
            if text != value:
                changes[name] = text
        elif isinstance(value, Mapping):
            for key, item in value.items():
                for text in (key, item):
                    if isinstance(text, str):
                        clean_text(text, ANY_TEXT_LIMIT, normalised=False)
    return replace(command, **changes) if changes else command


def _plan(kind_of: type) -> tuple[tuple[str, Text], ...]:
    if not is_dataclass(kind_of):
        return ()
    declared = next((_DECLARED[k] for k in kind_of.__mro__ if k in _DECLARED), {})
    names = [field.name for field in fields(kind_of) if field.init]
    unknown = set(declared) - set(names)
    if unknown:
        raise TypeError(f"{kind_of.__name__} has no field {', '.join(sorted(unknown))}")
    return tuple((name, declared.get(name, ANY)) for name in names)
