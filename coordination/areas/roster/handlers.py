"""An import decided in chunks saved in one write each: a national ID already registered
becomes a request the volunteer answers (never a link, never a duplicate, nothing about them
shown), or a conflict when the row's mobile number is not theirs; a mobile number held by
someone else is refused; everyone else is registered with an account to claim on first
registration, recording who imported them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from coordination.account import Account, PhoneTaken
from coordination.areas.roster.commands import (
    AnswerLinkRequest,
    AnswerVerification,
    ImportVolunteers,
    Outcome,
)
from coordination.areas.roster.policy import may_answer_for, may_import, may_verify
from coordination.association import Association, AssociationNotFound
from coordination.dispatch import Store, handles
from coordination.errors import DomainError
from coordination.governorates import governorate_named
from coordination.identity import parse_mobile, parse_national_id
from coordination.permissions import Actor, NotAllowed, require
from coordination.retry import retrying
from coordination.volunteer import PhoneDiffers, Volunteer, VolunteerNotFound, clean_full_name

Row = Mapping[str, str]


@handles(ImportVolunteers)
def import_volunteers(store: Store, command: ImportVolunteers, actor: Actor) -> list[Outcome]:
    require(may_import(actor, command.association_id))
    association = store.get(command.association_id, Association, AssociationNotFound)
    with_keys = list(zip(command.rows, command.keys or _unkeyed(command.rows), strict=True))
    try:
        return _import_chunk(store, association, with_keys, actor)
    except IntegrityError:  # someone registered meanwhile: decide each row on its own
        return [_import_chunk(store, association, [row], actor)[0] for row in with_keys]


@handles(AnswerLinkRequest)
def answer_link_request(store: Store, command: AnswerLinkRequest, actor: Actor) -> None:
    volunteer_id = actor.volunteer_id
    if volunteer_id is None or not may_answer_for(actor, volunteer_id):
        raise NotAllowed()

    def attempt() -> None:
        volunteer = store.get(volunteer_id, Volunteer, VolunteerNotFound)
        volunteer.answer_link(command.association_id, command.accepts)
        store.save(volunteer)

    retrying(attempt)


@handles(AnswerVerification)
def answer_verification(store: Store, command: AnswerVerification, actor: Actor) -> None:
    """Confirmed, the record takes the claimant's number and the importer's account lets go;
    rejected, the claimant's account lets go of the record."""
    forgotten: list[UUID] = []

    def attempt() -> None:
        record = store.get(command.volunteer_id, Volunteer, VolunteerNotFound)
        require(may_verify(actor, record.association_id))
        imported_phone = record.phone
        claimant_id = record.answer_verification(command.confirms, actor.account_id)
        if command.confirms:
            let_go = store.find(
                Account.create_id(store.fingerprints.of("phone", imported_phone)), Account
            )
        else:
            let_go = store.find(claimant_id, Account)
        changed: list[Any] = [record]
        if let_go is not None and let_go.volunteer_id == record.id:
            let_go.detach_volunteer(actor.account_id)
            changed.append(let_go)
            forgotten[:] = [let_go.id]
        store.save(*changed)

    retrying(attempt)
    for account_id in forgotten:
        store.actors.forget(account_id)


def _import_chunk(
    store: Store, association: Association, rows: Sequence[tuple[Row, str | None]], actor: Actor
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    changed: dict[UUID, Any] = {}
    for row, key in rows:
        try:
            outcomes.append(_import_row(store, association, row, key, changed, actor))
        except DomainError as refused:
            outcomes.append(refused)
    if changed:
        store.save(*changed.values())
    return outcomes


def _import_row(
    store: Store,
    association: Association,
    row: Row,
    key: str | None,
    changed: dict[UUID, Any],
    actor: Actor,
) -> str:
    name = clean_full_name(row.get("full_name", ""))
    mobile = parse_mobile(row.get("phone", ""))
    nid = parse_national_id(row.get("national_id", ""), today=store.clock().date())
    governorate = governorate_named(row.get("governorate") or association.governorate).code
    volunteer_id = Volunteer.create_id(store.fingerprints.of("national_id", nid.digits))
    known = changed.get(volunteer_id) or store.find(volunteer_id, Volunteer)
    if known is not None:
        if key is not None and known.import_key == key:  # this row, its chunk retried
            return "created"
        if known.association_id == association.id or association.id in known.serves:
            return "existing"
        if known.phone != mobile:  # a national ID is no secret: it never opens a record
            raise PhoneDiffers()
        if known.ask_to_link(association.id, actor.account_id):
            changed[known.id] = known
        return "asked"
    phone_hash = store.fingerprints.of("phone", mobile)
    account_id = Account.create_id(phone_hash)
    if account_id in changed or account_id in store.repository:
        raise PhoneTaken()
    volunteer = Volunteer(
        store.fingerprints.of("national_id", nid.digits),
        nid.last_four,
        name,
        mobile,
        governorate,
        association.id,
        actor.account_id,
        key,
    )
    account = Account(phone_hash, mobile, name, "", volunteer.id)
    changed[volunteer.id], changed[account.id] = volunteer, account
    return "created"


def _unkeyed(rows: Sequence[object]) -> list[str | None]:
    return [None] * len(rows)
