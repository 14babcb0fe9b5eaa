"""A person signing in through the browser, as the page's own form asks."""

from __future__ import annotations

from typing import Any

from tests.helpers import PASSWORD


def signed_in(page: Any, base: str, locale: str, phone: str) -> None:
    """``page`` in ``locale``'s language, signed in as ``phone``, on the page sign-in leads to."""
    page.goto(f"{base}/language/{locale[:2]}")
    page.goto(f"{base}/sign-in")
    page.fill("#phone", phone)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
