"""A registration's fields checked together, so a person hears of every mistake at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from coordination.errors import DomainError, InvalidInput
from coordination.governorates import get_governorate
from coordination.identity import NationalId, parse_mobile, parse_national_id
from coordination.passwords import check_password
from coordination.volunteer import clean_full_name

T = TypeVar("T")


class RegistrationRefused(InvalidInput):
    """Several fields of one registration are wrong; ``errors`` holds each field's error."""

    code = "invalid_registration"

    def __init__(self, errors: dict[str, DomainError]) -> None:
        super().__init__(", ".join(error.code for error in errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Registration:
    full_name: str
    mobile: str
    national_id: NationalId
    governorate: str


def checked_registration(
    full_name: str, phone: str, national_id: str, governorate: str, password: str, *, today: date
) -> Registration:
    """Every field parsed by the domain's own parser; a single mistake is raised as it is (the
    API's answers name it), several as one ``RegistrationRefused`` naming each field's."""
    errors: dict[str, DomainError] = {}

    def attempt(field: str, parse: Callable[[], T]) -> T | None:
        try:
            return parse()
        except DomainError as error:
            errors[field] = error
            return None

    name = attempt("full_name", lambda: clean_full_name(full_name))
    mobile = attempt("phone", lambda: parse_mobile(phone))
    nid = attempt("national_id", lambda: parse_national_id(national_id, today=today))
    home = attempt("governorate", lambda: get_governorate(governorate).code)
    hints = [hint for hint in (name, mobile, nid.digits if nid else None) if hint]
    attempt("password", lambda: check_password(password, *hints))
    if len(errors) == 1:
        raise next(iter(errors.values()))
    if errors:
        raise RegistrationRefused(errors)
    assert name and mobile and nid and home
    return Registration(name, mobile, nid, home)


class DetailsRefused(InvalidInput):
    """A volunteer's new details hold mistakes; ``errors`` holds each field's error."""

    code = "invalid_details"

    def __init__(self, errors: dict[str, DomainError]) -> None:
        super().__init__(", ".join(error.code for error in errors.values()))
        self.errors = errors


def checked_details(
    full_name: str, governorate: str, unknown_association: DomainError | None
) -> tuple[str, str]:
    """A volunteer's own name and home governorate parsed as a registration's are; every
    mistake, the association's included, raised at once as ``DetailsRefused``."""
    errors: dict[str, DomainError] = {}
    name = home = ""
    try:
        name = clean_full_name(full_name)
    except DomainError as error:
        errors["full_name"] = error
    try:
        home = get_governorate(governorate).code
    except DomainError as error:
        errors["governorate"] = error
    if unknown_association is not None:
        errors["association_id"] = unknown_association
    if errors:
        raise DetailsRefused(errors)
    return name, home
