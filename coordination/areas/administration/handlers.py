"""Editing and closing sites, editing associations, inviting staff, setting a password."""

from __future__ import annotations

import secrets
from datetime import timedelta
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from coordination.account import Account, AccountNotFound, BadSetUpCode, PhoneTaken
from coordination.areas.administration.commands import (
    CloseSite,
    EditAssociation,
    EditSite,
    Invitation,
    InviteStaff,
    IssueResetCode,
    ReissueSetUpCode,
    SetPassword,
)
from coordination.areas.administration.policy import (
    administers_governorate,
    edits_associations,
    invites_staff,
    issues_reset_code,
    may_issue_reset_codes,
)
from coordination.association import Association, AssociationNotFound
from coordination.dispatch import Store, handles
from coordination.identity import InvalidPhone, parse_mobile
from coordination.passwords import check_password
from coordination.permissions import Actor, require
from coordination.retry import retrying
from coordination.site import Site, SiteNotFound
from coordination.volunteer import Volunteer, clean_full_name

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed on a phone
CODE_LENGTH = 10
CODE_LIFETIME = timedelta(days=3)


@handles(EditSite)
def edit_site(store: Store, command: EditSite, actor: Actor) -> bool:
    def attempt() -> bool:
        site = store.get(command.site_id, Site, SiteNotFound)
        require(administers_governorate(actor, site.governorate))
        renamed = site.rename(command.name_ar, command.name_en, actor.account_id)
        c = command
        located = site.locate(c.address, c.latitude, c.longitude, actor.account_id)
        if renamed or located:
            store.save(site)
        return renamed or located

    changed: bool = retrying(attempt)
    return changed


@handles(CloseSite)
def close_site(store: Store, command: CloseSite, actor: Actor) -> bool:
    def attempt() -> bool:
        site = store.get(command.site_id, Site, SiteNotFound)
        require(administers_governorate(actor, site.governorate))
        closed = site.close(actor.account_id)
        if closed:
            store.save(site)
            store.moments.forget(("site_open", site.id))  # this process refuses at once
        return closed

    changed: bool = retrying(attempt)
    return changed


@handles(EditAssociation)
def edit_association(store: Store, command: EditAssociation, actor: Actor) -> bool:
    def attempt() -> bool:
        association = store.get(command.association_id, Association, AssociationNotFound)
        require(edits_associations(actor, association.governorate))
        renamed = association.rename(command.name_ar, command.name_en, actor.account_id)
        reclassified = association.reclassify(command.kind)
        if renamed or reclassified:
            store.save(association)
        return renamed or reclassified

    changed: bool = retrying(attempt)
    return changed


@handles(InviteStaff)
def invite_staff(store: Store, command: InviteStaff, actor: Actor) -> Invitation:
    require(invites_staff(actor))
    mobile = parse_mobile(command.phone)
    name = clean_full_name(command.full_name)
    account = Account(store.fingerprints.of("phone", mobile), mobile, name, "", None)
    invitation = _issue_code(store, account, actor)
    try:
        store.save(account)
    except IntegrityError:
        raise PhoneTaken() from None
    return invitation


@handles(ReissueSetUpCode)
def reissue_set_up_code(store: Store, command: ReissueSetUpCode, actor: Actor) -> Invitation:
    require(invites_staff(actor))

    def attempt() -> Invitation:
        account = store.get(command.account_id, Account, AccountNotFound)
        invitation = _issue_code(store, account, actor)
        store.save(account)
        return invitation

    invitation: Invitation = retrying(attempt)
    return invitation


@handles(IssueResetCode)
def issue_reset_code(store: Store, command: IssueResetCode, actor: Actor) -> Invitation:
    """A volunteer's account found by phone gets a fresh one-time code (kept hashed, three
    days, single use). Whoever may not issue it hears the same refusal whether or not the
    phone has an account."""
    require(may_issue_reset_codes(actor))
    mobile = parse_mobile(command.phone)
    account_id = Account.create_id(store.fingerprints.of("phone", mobile))

    def attempt() -> Invitation:
        account = store.find(account_id, Account)
        volunteer = (
            store.find(account.volunteer_id, Volunteer)
            if account is not None and account.volunteer_id is not None
            else None
        )
        associations = (volunteer.association_id, *volunteer.serves) if volunteer else ()
        require(issues_reset_code(actor, associations))
        if account is None or volunteer is None:
            raise AccountNotFound()
        invitation = _issue_code(store, account, actor, by_sms=True)
        store.save(account)
        return invitation

    invitation: Invitation = retrying(attempt)
    return invitation


@handles(SetPassword)
def set_password(store: Store, command: SetPassword, actor: Actor) -> UUID:
    try:
        mobile = parse_mobile(command.phone)
    except InvalidPhone:
        raise BadSetUpCode() from None
    code = _normalised(command.code)
    account_id = Account.create_id(store.fingerprints.of("phone", mobile))

    def attempt() -> UUID:
        account = store.find(account_id, Account)
        if account is None:
            raise BadSetUpCode()
        code_hash = store.fingerprints.of("set-up-code", code)
        if account.set_up_code_hash != code_hash:
            raise BadSetUpCode()
        check_password(command.password, account.full_name, mobile)
        password_hash = store.passwords.hash(command.password)
        account.redeem_set_up_code(code_hash, password_hash, store.clock())
        store.save(account)
        return account.id

    redeemed: UUID = retrying(attempt)
    store.actors.forget(account_id)
    return redeemed


def _issue_code(store: Store, account: Account, actor: Actor, by_sms: bool = False) -> Invitation:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = store.clock() + CODE_LIFETIME
    account.issue_set_up_code(
        store.fingerprints.of("set-up-code", code),
        expires_at,
        actor.account_id,
        code if by_sms else "",
    )
    return Invitation(account.id, code, expires_at)


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()[:40]
