"""Password rules under concurrent registrations."""

from __future__ import annotations

import threading

import pytest
from zxcvbn import matching

from coordination.passwords import CommonPassword, check_password
from web.platform.settings import Settings

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


def test_each_profile_hashes_with_its_parameters_and_checks_the_others_hashes() -> None:
    """A deployment may move between profiles: the hashes stored under one still sign in."""
    from argon2 import extract_parameters

    from coordination.passwords import PROFILES, Passwords, password_hasher

    hashes = {name: Passwords(password_hasher(profile=name)) for name in PROFILES}
    made = {name: passwords.hash("kitchen-lantern-42") for name, passwords in hashes.items()}
    owasp = extract_parameters(made["owasp-minimum"])
    assert (owasp.time_cost, owasp.memory_cost, owasp.parallelism) == (2, 19 * 1024, 1)
    default = extract_parameters(made["rfc9106-low-memory"])
    assert (default.time_cost, default.memory_cost, default.parallelism) == (3, 64 * 1024, 4)
    for passwords in hashes.values():
        assert all(passwords.verify(stored, "kitchen-lantern-42") for stored in made.values())
        assert not any(passwords.verify(stored, "kitchen-lantern-43") for stored in made.values())


def test_the_profile_is_a_setting_and_an_unknown_one_is_refused() -> None:
    from web.platform.settings import SettingsError, load_settings

    assert load_settings({}).password_profile == "rfc9106-low-memory"
    chosen = load_settings({"KATF_PASSWORD_PROFILE": "owasp-minimum"})
    assert chosen.password_profile == "owasp-minimum"
    with pytest.raises(SettingsError, match="KATF_PASSWORD_PROFILE .*owasp-minimum"):
        load_settings({"KATF_PASSWORD_PROFILE": "fast"})


def test_the_profile_setting_reaches_the_store(sqlite_settings: Settings) -> None:
    from dataclasses import replace

    from tests.conftest import started

    chosen = replace(sqlite_settings, fast_password_hashing=False, password_profile="owasp-minimum")
    for services in started(chosen):
        hasher = services.app.passwords.hasher
        assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (2, 19 * 1024, 1)
