"""Where sign-in, registration and the past board meet the rate limits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from coordination.account import BadCredentials
from coordination.areas.accounts.lookups import sign_in
from coordination.errors import DomainError, InvalidInput
from coordination.identity import normalise_digits
from web.platform.auth import actor_of, services_of
from web.platform.ratelimit import (
    PAST_BOARD,
    REGISTER_ACCOUNT,
    REGISTER_ADDRESS,
    REGISTER_INVALID,
    SIGN_IN_ACCOUNT,
    SIGN_IN_ADDRESS,
    SIGN_IN_PAIR,
    TooManyAttempts,
    TooManyReplays,
)


def address(request: Any) -> str:
    return request.client.host if request.client else "unknown"


def phone_key(request: Any, phone: str) -> str:
    """Limits are kept per phone without writing the number itself anywhere."""
    digits = "".join(ch for ch in normalise_digits(phone) if ch.isdigit())[-10:]
    return services_of(request).app.fingerprints.of("limit-phone", digits)[:32]


@contextmanager
def registration_limits(request: Any, phone: str) -> Iterator[None]:
    """Only a registration that passes validation counts toward its phone's and address's
    limits (five typos must not lock a phone out for an hour); one refused as invalid (422)
    counts toward its address's generous limit of invalid attempts only."""
    limiter = services_of(request).limiter
    where = address(request)
    counted = [(REGISTER_ADDRESS, where), (REGISTER_ACCOUNT, phone_key(request, phone))]
    limiter.check([*counted, (REGISTER_INVALID, where)])
    try:
        yield
    except (InvalidInput, ValueError):
        limiter.record([(REGISTER_INVALID, where)])
        raise
    except DomainError:
        limiter.record(counted)
        raise
    limiter.record(counted)


def limited_sign_in(request: Any, phone: str, password: str) -> UUID:
    """Failures count per address and per account-and-address, so guessing from elsewhere
    never locks the owner out; an account under a wide attack also counts them all, and then
    every address that has failed on it waits, while a clean one may still try its password."""
    services = services_of(request)
    account, where = phone_key(request, phone), address(request)
    pair = f"{account}:{where}"
    checks = [(SIGN_IN_PAIR, pair), (SIGN_IN_ADDRESS, where)]
    if services.limiter.count(SIGN_IN_PAIR, pair):
        checks.append((SIGN_IN_ACCOUNT, account))
    services.limiter.check(checks)
    try:
        account_id = sign_in(services.app, phone, password)
    except BadCredentials:
        services.limiter.record([*checks[:2], (SIGN_IN_ACCOUNT, account)])
        raise
    services.limiter.reset(SIGN_IN_PAIR, pair)
    return account_id


def limited_replay(request: Any) -> None:
    """Counts one replay of the log against the asking person (an address only if nobody is
    signed in), refusing it while they are over the past board's limit."""
    actor = actor_of(request)
    checks = [(PAST_BOARD, str(actor.account_id or f"address:{address(request)}"))]
    limiter = services_of(request).limiter
    try:
        limiter.check(checks)
    except TooManyAttempts as refused:
        raise TooManyReplays(refused.retry_after) from None
    limiter.record(checks)
