"""Every SMS the outbox sends fits one segment with the longest values it is given: 70
characters in Arabic (UCS-2), 160 in English (GSM-7, whose characters alone it uses)."""

from __future__ import annotations

import pytest

from web.platform.outbox_texts import SAMPLES, TEXTS, render

# GSM 03.38's basic characters that English texts may use
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_an_arabic_sms_is_one_segment(kind: str) -> None:
    text = render(kind, SAMPLES, "ar")
    assert text != render(kind, SAMPLES, "en"), "translated"
    assert "%(" not in text and len(text.encode("utf-16-le")) // 2 <= 70, text


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_an_english_sms_is_one_segment(kind: str) -> None:
    text = render(kind, SAMPLES, "en")
    assert set(text) <= GSM7 and len(text) <= 160, text


def test_the_values_reach_the_text() -> None:
    text = render("password_code", {"code": "XY7K9M3P2Q"}, "ar")
    assert "XY7K9M3P2Q" in text
    assert "17/03" in render("reminder_evening", SAMPLES, "en")
