"""The sign-up decision: a shift's capacity and a volunteer's other shifts, decided together."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from coordination.idempotency_key import IdempotencyKeyReused
from coordination.shift import Shift, ShiftCancelled, ShiftFull, ShiftOver, ShiftStarted
from coordination.training import REQUIRED_FOR_ROLE, MissingCertificate
from coordination.volunteer import OverlappingShift, RegistrationBeingChecked, Volunteer


class SignUpOutcome(StrEnum):
    SIGNED_UP = "signed_up"
    ALREADY_SIGNED_UP = "already_signed_up"
    WITHDRAWN = "withdrawn"
    NOT_SIGNED_UP = "not_signed_up"


def sign_up(shift: Shift, volunteer: Volunteer, key: str, now: datetime) -> SignUpOutcome:
    """Takes a place for the volunteer; a replayed key answers as the first time, and is
    refused for another volunteer or shift (the shift and the volunteer keep their keys, so
    a sign-up's key costs no record of its own on the busiest path)."""
    answered_for = shift.answered_keys.get(key)
    if answered_for == volunteer.id:
        return SignUpOutcome.SIGNED_UP
    if answered_for is not None or volunteer.shift_keys.get(key, shift.id) != shift.id:
        raise IdempotencyKeyReused()  # the key came with another volunteer's or shift's sign-up
    if volunteer.id in shift.volunteers:
        return SignUpOutcome.ALREADY_SIGNED_UP
    if volunteer.claimant is not None:
        raise RegistrationBeingChecked()
    if shift.cancelled:
        raise ShiftCancelled()
    if now >= shift.ends_at:
        raise ShiftOver()
    if shift.is_full:
        raise ShiftFull(capacity=shift.capacity)
    for programme in REQUIRED_FOR_ROLE.get(shift.role, ()):
        if not volunteer.holds(programme, shift.ends_at):
            raise MissingCertificate(programme=programme.value)
    clash = volunteer.clashing_shift(shift.starts_at, shift.ends_at)
    if clash is not None:
        raise OverlappingShift(other_shift_id=str(clash))
    shift.take_place(volunteer.id, key)
    volunteer.take_shift(shift.id, shift.starts_at, shift.ends_at, key)
    return SignUpOutcome.SIGNED_UP


def withdraw(shift: Shift, volunteer: Volunteer, now: datetime) -> SignUpOutcome:
    if volunteer.id not in shift.volunteers:
        return SignUpOutcome.NOT_SIGNED_UP
    if now >= shift.starts_at:
        raise ShiftStarted()
    shift.release_place(volunteer.id)
    volunteer.release_shift(shift.id)
    return SignUpOutcome.WITHDRAWN
