"""Password rules under concurrent registrations."""

from __future__ import annotations

import threading

import pytest
from zxcvbn import matching

from coordination.passwords import CommonPassword, check_password

OWN_NAME = "Qamarzaytouni"


def test_a_password_is_checked_against_its_own_hints_while_another_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """zxcvbn keeps the hints in a dictionary every call shares: a volunteer whose password is
    their own name, checked while another volunteer registered, was checked against the other's
    name and let through."""
    own_estimate_started, other_hints_set = threading.Event(), threading.Event()
    omnimatch, build_ranked_dict = matching.omnimatch, matching.build_ranked_dict

    def estimating(password: str, dictionaries: dict) -> list:
        if password == OWN_NAME.lower():
            own_estimate_started.set()
            other_hints_set.wait(timeout=1)  # the other registration's turn, if it may take it
        return omnimatch(password, dictionaries)

    def ranking(words: list[str]) -> dict:
        ranked = build_ranked_dict(words)
        if "other person" in words:
            other_hints_set.set()
        return ranked

    monkeypatch.setattr(matching, "omnimatch", estimating)
    monkeypatch.setattr(matching, "build_ranked_dict", ranking)
    other = threading.Thread(
        target=lambda: (
            own_estimate_started.wait(5) and check_password("kitchen-lantern-42", "Other Person")
        )
    )
    other.start()
    try:
        with pytest.raises(CommonPassword):
            check_password(OWN_NAME.lower(), OWN_NAME)
    finally:
        other.join(timeout=5)
    assert check_password(OWN_NAME.lower(), "Other Person") == OWN_NAME.lower()
