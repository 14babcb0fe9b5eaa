"""Arabic as a reader expects: one digit style, Arabic's plural forms, distinct words."""

from __future__ import annotations

import pytest

from web.platform.i18n import left_to_right, number, translations
from web.platform.render import environment, spaced_phone

FREE = ("%(num)s place free of %(capacity)s", "%(num)s places free of %(capacity)s")


def test_numbers_are_written_in_the_pages_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    assert number(12345, "ar") == "١٢٬٣٤٥" and number(1.5, "ar", fraction=1) == "١٫٥"
    assert number(12345, "en") == "12,345" and number(0.1, "en", fraction=1) == "0.1"
    monkeypatch.setenv("KATF_ARABIC_DIGITS", "latn")
    assert number(12345, "ar") == "12,345", "the setting keeps Western digits in Arabic"


def test_a_day_and_a_time_in_arabic_have_no_latin_comma_and_no_western_digit() -> None:
    written = (
        environment("ar")
        .from_string('{{ _("%(day)s, %(time)s", day=d|day, time=t|clock) }}')
        .render(d="2026-12-04", t="2026-12-04T06:00:00+00:00")
    )
    assert written == "الجمعة، ٤ ديسمبر ٢٠٢٦، ٨:٠٠ ص"


def test_free_places_take_arabics_plural_forms() -> None:
    said = {n: translations("ar").ngettext(*FREE, n) for n in (1, 2, 3, 11, 100)}
    assert said[1].startswith("مكان واحد") and said[2].startswith("مكانان")
    assert "أماكن" in said[3] and "مكانًا" in said[11] and "مكان متاح" in said[100]


def test_register_and_the_registrar_role_are_different_words() -> None:
    arabic = translations("ar")
    assert arabic.gettext("Register") != arabic.gettext("Registrar")


def test_a_phone_reads_in_its_groups_left_to_right() -> None:
    assert spaced_phone("+201223456789") == "+20 122 345 6789"
    assert left_to_right("+20 122", "en") == "+20 122"
    assert left_to_right("+20 122", "ar") == "\u200e+٢٠ \u200e١٢٢"


def test_counts_put_into_a_templates_sentence_are_written_in_the_pages_digits() -> None:
    template = (
        '{{ _("%(count)s per household", count=3) }} | '
        '{{ ngettext("%(num)s place free of %(capacity)s", '
        '"%(num)s places free of %(capacity)s", 20, capacity=1500) }}'
    )
    arabic = environment("ar").from_string(template).render()
    assert arabic.startswith("٣ ") and "٢٠ مكانًا" in arabic and "١٬٥٠٠" in arabic
    assert not any(c.isascii() and c.isdigit() for c in arabic)
    english = environment("en").from_string(template).render()
    assert english == "3 per household | 20 places free of 1,500"


def test_a_sentence_may_be_given_its_own_num() -> None:
    said = environment("ar").from_string(
        '{{ ngettext("%(num)s place free of %(capacity)s", '
        '"%(num)s places free of %(capacity)s", 13, num="13", capacity=5) }}'
    )
    assert said.render() == "13 مكانًا متاحًا من ٥"


def test_a_topics_catalogue_replaces_the_sentence_it_rewrites() -> None:
    """staff_pages.po says the count after its noun, where messages.po's "٥ كرتونة" was wrong."""
    refusal = "Only %(on_hand)s boxes are on hand here; %(asked)s cannot leave. Send fewer."
    said = translations("ar").gettext(refusal) % {"on_hand": "٥", "asked": "٥٠"}
    assert said == "عدد الكراتين الموجودة هنا ٥ فقط؛ لا يمكن إخراج ٥٠. أرسل عددًا أقل."
