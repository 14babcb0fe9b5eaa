"""An association's volunteers imported in bulk, checked against the whole database.

Rows are decided in chunks saved in one write each: a national ID already registered is
linked to the association (never duplicated), a mobile number held by someone else is
refused, everyone else is registered with an account to claim on first registration.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from coordination.account import Account, PhoneTaken
from coordination.association import Association, AssociationNotFound
from coordination.commands.base import CommandBase
from coordination.errors import DomainError
from coordination.governorates import governorate_named
from coordination.identity import parse_mobile, parse_national_id
from coordination.permissions import Actor, require
from coordination.volunteer import Volunteer, clean_full_name

Outcome = str | DomainError  # "created", "linked", "existing" or the reason it was refused


class RosterCommands(CommandBase):
    def import_volunteers(
        self, actor: Actor, association_id: UUID, rows: list[dict[str, str]]
    ) -> list[Outcome]:
        require(actor.is_admin or actor.coordinates(association_id))
        association = self._get(association_id, Association, AssociationNotFound)
        try:
            return self._import_chunk(association, rows)
        except IntegrityError:  # someone registered meanwhile: decide each row on its own
            return [self._import_chunk(association, [row])[0] for row in rows]

    def _import_chunk(self, association: Association, rows: list[dict[str, str]]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        changed: dict[UUID, Any] = {}
        for row in rows:
            try:
                outcomes.append(self._import_row(association, row, changed))
            except DomainError as refused:
                outcomes.append(refused)
        if changed:
            self.save(*changed.values())
        return outcomes

    def _import_row(
        self, association: Association, row: dict[str, str], changed: dict[UUID, Any]
    ) -> str:
        name = clean_full_name(row.get("full_name", ""))
        mobile = parse_mobile(row.get("phone", ""))
        nid = parse_national_id(row.get("national_id", ""), today=self.clock().date())
        governorate = governorate_named(row.get("governorate") or association.governorate).code
        volunteer_id = Volunteer.create_id(self.fingerprints.of("national_id", nid.digits))
        known = changed.get(volunteer_id) or self._find(volunteer_id, Volunteer)
        if known is not None:
            if known.association_id == association.id or association.id in known.serves:
                return "existing"
            known.link(association.id)
            changed[known.id] = known
            return "linked"
        phone_hash = self.fingerprints.of("phone", mobile)
        account_id = Account.create_id(phone_hash)
        if account_id in changed or account_id in self.repository:
            raise PhoneTaken()
        volunteer = Volunteer(
            self.fingerprints.of("national_id", nid.digits),
            nid.last_four,
            name,
            mobile,
            governorate,
            association.id,
        )
        account = Account(phone_hash, mobile, name, "", volunteer.id)
        changed[volunteer.id], changed[account.id] = volunteer, account
        return "created"
