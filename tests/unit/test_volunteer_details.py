"""A volunteer's own details in memory: a change is recorded once, choosing an association
answers its request and ends serving it as a linked one, a record being checked stays as it is,
and every mistake of the form is named at once."""

from __future__ import annotations

from uuid import uuid4

import pytest

from coordination.registration import DetailsRefused, checked_details
from coordination.volunteer import RegistrationBeingChecked, Volunteer


def volunteer() -> Volunteer:
    return Volunteer(uuid4().hex, "0015", "Hoda Samir", "+201012345678", "01", None)


def test_a_change_is_recorded_once() -> None:
    hoda = volunteer()
    assert hoda.change_details("Hoda Samir Adel", "21", None) is True
    assert (hoda.full_name, hoda.governorate) == ("Hoda Samir Adel", "21")
    assert hoda.change_details("Hoda Samir Adel", "21", None) is False
    assert [type(e).__name__ for e in hoda.collect_events()][-1] == "DetailsChanged"
    assert hoda.collect_events() == []


def test_choosing_an_association_answers_its_request_and_ends_the_link() -> None:
    hoda, asking, served = volunteer(), uuid4(), uuid4()
    hoda.ask_to_link(asking, None)
    hoda.link(served)
    hoda.change_details("Hoda Samir", "01", asking)
    assert hoda.association_id == asking and asking not in hoda.link_requests
    hoda.change_details("Hoda Samir", "01", served)
    assert hoda.association_id == served and served not in hoda.serves
    assert hoda.ask_to_link(served, None) is False, "the home association need not ask"


def test_a_record_being_checked_keeps_its_details() -> None:
    hoda = volunteer()
    hoda.ask_verification(uuid4(), "+201098765432", "Hoda S.")
    with pytest.raises(RegistrationBeingChecked):
        hoda.change_details("Someone Else", "01", None)
    assert hoda.full_name == "Hoda Samir"


def test_every_mistake_is_named_at_once() -> None:
    with pytest.raises(DetailsRefused) as refused:
        checked_details("x", "99", None)
    assert set(refused.value.errors) == {"full_name", "governorate"}
    assert checked_details("  Hoda   Samir ", "21", None) == ("Hoda Samir", "21")
