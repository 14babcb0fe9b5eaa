"""Who is asking: sign-in, the account behind a phone number, the actor behind an account."""

from __future__ import annotations

from uuid import UUID

from coordination.account import Account, AccountNotFound, BadCredentials
from coordination.dispatch import Store
from coordination.identity import InvalidPhone, parse_mobile
from coordination.permissions import Actor


def sign_in(store: Store, phone: str, password: str) -> UUID:
    """The account id, or BadCredentials; as slow for an unknown phone as for a known one."""
    try:
        account = store.find(account_id_for(store, phone), Account)
    except InvalidPhone:
        account = None
    if not store.passwords.verify(account.password_hash if account else None, password):
        raise BadCredentials()
    assert account is not None
    return account.id


def account_id_for(store: Store, phone: str) -> UUID:
    return Account.create_id(store.fingerprints.of("phone", parse_mobile(phone)))


def actor_for(store: Store, account_id: UUID) -> Actor | None:
    """Who the account is; a grant or revocation made elsewhere shows within two seconds."""
    actor: Actor | None = store.actors.get(account_id, lambda: _actor(store, account_id))
    return actor


def remembered_actor(store: Store, account_id: UUID) -> tuple[bool, Actor | None]:
    """``actor_for`` when its answer is at hand: ``(False, None)`` if it must be read."""
    remembered: tuple[bool, Actor | None] = store.actors.recall(account_id)
    return remembered


def account(store: Store, account_id: UUID) -> Account:
    return store.get(account_id, Account, AccountNotFound)


def _actor(store: Store, account_id: UUID) -> Actor | None:
    account = store.find(account_id, Account)
    if account is None:
        return None
    return Actor(account.id, account.volunteer_id, frozenset(account.grants))
