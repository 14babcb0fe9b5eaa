"""What each kind of background job does: imports of lists, a chunk of rows per command."""

from __future__ import annotations

from uuid import UUID

from coordination.areas.distribution.commands import RegisterHouseholds
from coordination.areas.roster.commands import ImportVolunteers, Outcome
from coordination.dispatch import Dispatcher
from coordination.errors import DomainError
from coordination.permissions import Actor
from projections.database import Database
from web.platform.fields import count_of
from web.platform.imports import Importer, ImportJob
from workers.jobs import Job


def job_kinds(db: Database, dispatcher: Dispatcher, pause: float = 0.0) -> dict[str, Job]:
    return {
        "households": ImportJob(db, household_importer(dispatcher), pause),
        "volunteers": ImportJob(db, volunteer_importer(dispatcher), pause),
    }


def household_importer(dispatcher: Dispatcher) -> Importer:
    """Each chunk of a point's list is registered in one write, its rows keyed."""

    def register(
        actor: Actor, point_id: str, rows: list[dict[str, str]], keys: list[str]
    ) -> list[Outcome]:
        command = RegisterHouseholds(
            [(row.get("national_id", ""), count_of(row.get("size", ""))) for row in rows],
            UUID(point_id),
            keys,
        )
        return [
            o if isinstance(o, DomainError) else ("created" if o[1] else "existing")
            for o in dispatcher.run(command, actor)
        ]

    return register


def volunteer_importer(dispatcher: Dispatcher) -> Importer:
    """Each chunk of an association's list is decided in one write, its rows keyed."""

    def import_chunk(
        actor: Actor, association_id: str, rows: list[dict[str, str]], keys: list[str]
    ) -> list[Outcome]:
        outcomes: list[Outcome] = dispatcher.run(
            ImportVolunteers(UUID(association_id), rows, keys), actor
        )
        return outcomes

    return import_chunk
