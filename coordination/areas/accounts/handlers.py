"""Registering volunteers, creating staff accounts, granting and revoking roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from coordination.account import Account, AccountNotFound, PhoneTaken, WrongCurrentPassword
from coordination.areas.accounts.commands import (
    ChangeMyDetails,
    ChangeMyEmail,
    ChangePassword,
    ChooseMessageLanguage,
    CreateUser,
    GrantRole,
    RegisterVolunteer,
    ResetCalendarLink,
    RevokeRole,
)
from coordination.areas.accounts.policy import (
    GOVERNORATE_GRANTS,
    changes_own_details,
    changes_own_password,
    manages_accounts,
    require_changes_grant,
)
from coordination.association import Association, AssociationNotFound
from coordination.dispatch import Store, handles
from coordination.identity import parse_mobile
from coordination.passwords import check_password
from coordination.permissions import Actor, Grant, Role, grant_for, require
from coordination.registration import checked_details, checked_registration
from coordination.retry import retrying
from coordination.site import Site
from coordination.volunteer import (
    AlreadyRegistered,
    RegistrationBeingChecked,
    Volunteer,
    VolunteerNotFound,
    clean_full_name,
)

T = TypeVar("T")


@handles(RegisterVolunteer)
def register_volunteer(store: Store, command: RegisterVolunteer, actor: Actor) -> UUID:
    fields = checked_registration(
        command.full_name,
        command.phone,
        command.national_id,
        command.governorate,
        command.password,
        today=store.clock().date(),
    )
    name, mobile, nid, home = (
        fields.full_name,
        fields.mobile,
        fields.national_id,
        fields.governorate,
    )
    if command.association_id is not None:
        store.get(command.association_id, Association, AssociationNotFound)
    volunteer = Volunteer(
        store.fingerprints.of("national_id", nid.digits),
        nid.last_four,
        name,
        mobile,
        home,
        command.association_id,
    )
    volunteer.choose_language(command.language)
    account = _new_account(store, mobile, name, command.password, volunteer.id)
    try:
        store.save(volunteer, account)
    except IntegrityError:
        if _claimed(store, account, volunteer.id):
            return volunteer.id
        if store.exists(volunteer.id):
            return _checked_later(store, volunteer.id, mobile, name, command.password)
        raise PhoneTaken() from None
    return volunteer.id


@handles(CreateUser)
def create_user(store: Store, command: CreateUser, actor: Actor) -> UUID:
    require(manages_accounts(actor))
    mobile = parse_mobile(command.phone)
    name = clean_full_name(command.full_name)
    check_password(command.password, name, mobile)
    account = _new_account(store, mobile, name, command.password, None)
    for grant in command.grants:
        account.grant(grant.role.value, grant.scope, actor.account_id)
    try:
        store.save(account)
    except IntegrityError:
        raise PhoneTaken() from None
    return account.id


@handles(GrantRole)
def grant_role(store: Store, command: GrantRole, actor: Actor) -> None:
    grant = grant_for(command.role, command.scope)
    require_changes_grant(actor, grant, _governorate_of(store, actor, grant))

    def attempt() -> None:
        account = store.get(command.account_id, Account, AccountNotFound)
        if grant not in account.grants:
            account.grant(grant.role.value, grant.scope, actor.account_id)
            store.save(account)

    retrying(attempt)
    store.actors.forget(command.account_id)


@handles(RevokeRole)
def revoke_role(store: Store, command: RevokeRole, actor: Actor) -> None:
    grant = grant_for(command.role, command.scope)
    require_changes_grant(actor, grant, _governorate_of(store, actor, grant))

    def attempt() -> None:
        account = store.get(command.account_id, Account, AccountNotFound)
        if grant in account.grants and grant.role is not Role.VOLUNTEER:
            account.revoke(grant.role.value, grant.scope, actor.account_id)
            store.save(account)

    retrying(attempt)
    store.actors.forget(command.account_id)


def _governorate_of(store: Store, actor: Actor, grant: Grant) -> str | None:
    """The governorate a grant's scope lies in (None: national, or nothing so named); the
    admin's grants need not be placed."""
    if actor.is_admin or grant.role not in GOVERNORATE_GRANTS:
        return None
    try:
        scope = UUID(grant.scope)
    except ValueError:
        return None
    if grant.role is Role.ASSOCIATION_COORDINATOR:
        association = store.find(scope, Association)
        return association.governorate if association else None
    site = store.find(scope, Site)
    return site.governorate if site else None


def _claimed(store: Store, new: Account, volunteer_id: UUID) -> bool:
    """A volunteer imported by an association sets a password on first registration,
    with the same national ID and mobile number as the record holds."""
    account = store.find(new.id, Account)
    if account is None or account.password_hash or account.volunteer_id != volunteer_id:
        return False
    volunteer = store.find(volunteer_id, Volunteer)
    if volunteer is None or volunteer.phone != account.phone or volunteer.claimant is not None:
        return False
    account.change_password(new.password_hash)
    store.save(account)
    return True


def _checked_later(store: Store, volunteer_id: UUID, mobile: str, name: str, password: str) -> UUID:
    """A record imported with another mobile number and never claimed must not keep the
    national ID's owner out: the registration is accepted, to be checked by the importing
    association or the operations room; the person signs in meanwhile, and signs up after."""
    record = store.get(volunteer_id, Volunteer, VolunteerNotFound)
    holder = store.find(Account.create_id(store.fingerprints.of("phone", record.phone)), Account)
    unclaimed = holder is not None and not holder.password_hash and holder.volunteer_id == record.id
    if not unclaimed or record.phone == mobile:
        raise AlreadyRegistered()
    account = _new_account(store, mobile, name, password, record.id)
    record.ask_verification(account.id, mobile, name)
    try:
        store.save(record, account)
    except IntegrityError:
        if store.exists(account.id):
            raise PhoneTaken() from None
        raise RegistrationBeingChecked() from None
    return record.id


def _new_account(
    store: Store, mobile: str, name: str, password: str, volunteer_id: UUID | None
) -> Account:
    phone_hash = store.fingerprints.of("phone", mobile)
    return Account(phone_hash, mobile, name, store.passwords.hash(password), volunteer_id)


@handles(ChangePassword)
def change_password(store: Store, command: ChangePassword, actor: Actor) -> UUID:
    """The person's own password: the current one proves it is them, the new one is checked
    as a registration's is (length, not common, not their name or phone)."""
    require(changes_own_password(actor))
    account_id = actor.account_id
    assert account_id is not None

    def attempt() -> UUID:
        account = store.get(account_id, Account, AccountNotFound)
        if not store.passwords.verify(account.password_hash, command.current_password):
            raise WrongCurrentPassword()
        check_password(command.new_password, account.full_name, account.phone)
        account.change_password(store.passwords.hash(command.new_password))
        store.save(account)
        return account.id

    return retrying(attempt)


@handles(ChooseMessageLanguage)
def choose_message_language(store: Store, command: ChooseMessageLanguage, actor: Actor) -> bool:
    """True when the volunteer's messages are now written in another language."""
    return _own_record_changed(store, actor, lambda v: v.choose_language(command.language))


@handles(ChangeMyEmail)
def change_my_email(store: Store, command: ChangeMyEmail, actor: Actor) -> bool:
    """True when the volunteer's messages now go to another address, or to none."""
    return _own_record_changed(store, actor, lambda v: v.change_email(command.email))


@handles(ResetCalendarLink)
def reset_calendar_link(store: Store, command: ResetCalendarLink, actor: Actor) -> int:
    """Which link now works (the count of resets)."""

    def reset(volunteer: Volunteer) -> int:
        volunteer.reset_calendar_link()
        return volunteer.calendar_link

    return _own_record_changed(store, actor, reset)


@handles(ChangeMyDetails)
def change_my_details(store: Store, command: ChangeMyDetails, actor: Actor) -> bool:
    """The volunteer's own details, checked as a registration's are, every mistake at once;
    True when something changed."""
    require(changes_own_details(actor))  # before the details are checked: 403 comes first
    home_id = command.association_id
    unknown = None
    if home_id is not None and store.find(home_id, Association) is None:
        unknown = AssociationNotFound()
    name, home = checked_details(command.full_name, command.governorate, unknown)
    return _own_record_changed(
        store, actor, lambda v: v.change_details(name, home, command.association_id)
    )


def _own_record_changed(store: Store, actor: Actor, change: Callable[[Volunteer], T]) -> T:
    """The asking volunteer's own record changed by ``change`` and saved if anything changed,
    tried again if another write came first; ``change``'s answer."""
    require(changes_own_details(actor))
    volunteer_id = actor.volunteer_id
    assert volunteer_id is not None

    def attempt() -> T:
        volunteer = store.get(volunteer_id, Volunteer, VolunteerNotFound)
        answer = change(volunteer)
        if volunteer.pending_events:
            store.save(volunteer)
        return answer

    return retrying(attempt)
