"""A refusal that counts something says it in the count's own form, in Arabic and English."""

from __future__ import annotations

from coordination.attendance import TooEarlyToCheckIn
from web.platform.errors import message_of


def test_the_early_check_in_refusal_counts_its_hours() -> None:
    assert message_of(TooEarlyToCheckIn(hours=1), "en").startswith("Check-in opens 1 hour ")
    assert message_of(TooEarlyToCheckIn(hours=2), "en").startswith("Check-in opens 2 hours ")
    assert "بساعتين" in message_of(TooEarlyToCheckIn(hours=2), "ar")
    assert "٣ ساعات" in message_of(TooEarlyToCheckIn(hours=3), "ar")
    assert "١١ ساعة" in message_of(TooEarlyToCheckIn(hours=11), "ar")
