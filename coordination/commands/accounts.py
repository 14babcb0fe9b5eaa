"""Registration, sign-in, staff accounts and role grants."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from coordination.account import Account, AccountNotFound, BadCredentials, PhoneTaken
from coordination.association import Association, AssociationNotFound
from coordination.commands.base import CommandBase
from coordination.governorates import get_governorate
from coordination.identity import InvalidPhone, parse_mobile, parse_national_id
from coordination.passwords import check_password
from coordination.permissions import Actor, Grant, Role, grant_for, require
from coordination.retry import retrying
from coordination.volunteer import AlreadyRegistered, Volunteer, clean_full_name


class AccountCommands(CommandBase):
    def register_volunteer(
        self,
        full_name: str,
        phone: str,
        national_id: str,
        governorate: str,
        password: str,
        association_id: UUID | None = None,
    ) -> UUID:
        name = clean_full_name(full_name)
        mobile = parse_mobile(phone)
        nid = parse_national_id(national_id, today=self.clock().date())
        home = get_governorate(governorate).code
        check_password(password, name, mobile, nid.digits)
        if association_id is not None:
            self._get(association_id, Association, AssociationNotFound)
        volunteer = Volunteer(
            self.fingerprints.of("national_id", nid.digits),
            nid.last_four,
            name,
            mobile,
            home,
            association_id,
        )
        account = self._new_account(mobile, name, password, volunteer.id)
        try:
            self.save(volunteer, account)
        except IntegrityError:
            if self._claimed(account, volunteer.id):
                return volunteer.id
            if volunteer.id in self.repository:
                raise AlreadyRegistered() from None
            raise PhoneTaken() from None
        return volunteer.id

    def _claimed(self, new: Account, volunteer_id: UUID) -> bool:
        """A volunteer imported by an association sets a password on first registration,
        with the same national ID and mobile number as imported."""
        account = self._find(new.id, Account)
        if account is None or account.password_hash or account.volunteer_id != volunteer_id:
            return False
        account.change_password(new.password_hash)
        self.save(account)
        return True

    def create_user(
        self, actor: Actor, phone: str, full_name: str, password: str, grants: Iterable[Grant] = ()
    ) -> UUID:
        require(actor.is_admin)
        mobile = parse_mobile(phone)
        name = clean_full_name(full_name)
        check_password(password, name, mobile)
        account = self._new_account(mobile, name, password, None)
        for grant in grants:
            account.grant(grant.role.value, grant.scope, actor.account_id)
        try:
            self.save(account)
        except IntegrityError:
            raise PhoneTaken() from None
        return account.id

    def sign_in(self, phone: str, password: str) -> UUID:
        """The account id, or BadCredentials; as slow for an unknown phone as for a known one."""
        try:
            account = self._find(self.account_id_for(phone), Account)
        except InvalidPhone:
            account = None
        if not self.passwords.verify(account.password_hash if account else None, password):
            raise BadCredentials()
        assert account is not None
        return account.id

    def account_id_for(self, phone: str) -> UUID:
        return Account.create_id(self.fingerprints.of("phone", parse_mobile(phone)))

    def actor_for(self, account_id: UUID) -> Actor | None:
        """Who the account is; a grant or revocation made elsewhere shows within two seconds."""
        return self.actors.get(account_id, lambda: self._actor(account_id))

    def remembered_actor(self, account_id: UUID) -> tuple[bool, Actor | None]:
        """``actor_for`` when its answer is at hand: ``(False, None)`` if it must be read."""
        return self.actors.recall(account_id)

    def _actor(self, account_id: UUID) -> Actor | None:
        account = self._find(account_id, Account)
        if account is None:
            return None
        return Actor(account.id, account.volunteer_id, frozenset(account.grants))

    def account(self, account_id: UUID) -> Account:
        return self._get(account_id, Account, AccountNotFound)

    def grant_role(self, actor: Actor, account_id: UUID, role: str, scope: str = "") -> None:
        require(actor.is_admin)
        grant = grant_for(role, scope)

        def attempt() -> None:
            account = self._get(account_id, Account, AccountNotFound)
            if grant not in account.grants:
                account.grant(grant.role.value, grant.scope, actor.account_id)
                self.save(account)

        retrying(attempt)
        self.actors.forget(account_id)

    def revoke_role(self, actor: Actor, account_id: UUID, role: str, scope: str = "") -> None:
        require(actor.is_admin)
        grant = grant_for(role, scope)

        def attempt() -> None:
            account = self._get(account_id, Account, AccountNotFound)
            if grant in account.grants and grant.role is not Role.VOLUNTEER:
                account.revoke(grant.role.value, grant.scope, actor.account_id)
                self.save(account)

        retrying(attempt)
        self.actors.forget(account_id)

    def _new_account(
        self, mobile: str, name: str, password: str, volunteer_id: UUID | None
    ) -> Account:
        phone_hash = self.fingerprints.of("phone", mobile)
        return Account(phone_hash, mobile, name, self.passwords.hash(password), volunteer_id)
