"""Training sessions: an organiser (association coordinator or national admin) schedules them
and ticks who attended; volunteers see the sessions to come with their free places and enrol,
from the list or from the refusal of a shift that needs the certificate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect

from coordination.areas.training.commands import Enrol, RecordAttendance, ScheduleSession
from coordination.areas.training.policy import runs_training
from coordination.calendar import CAMPAIGN_TIMEZONE, from_utc_text, local
from coordination.permissions import Actor
from coordination.training import InvalidSession, Programme
from projections.training import (
    enrolments_of,
    find_session,
    sessions_of_volunteer,
    upcoming_sessions,
)
from web.platform.answers import answered, caught_up, dispatched
from web.platform.auth import actor_of, resolved_actor, services_of, volunteer_of
from web.platform.fields import count_of
from web.platform.flash import flash
from web.platform.guards import requires_sign_in, requires_volunteer
from web.platform.i18n import N_, gettext_for
from web.platform.messages import PROGRAMME_NAMES
from web.platform.render import locale_of, page

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
AnyRequest = Request[Any, Any, Any]


def takes_part(actor: Actor) -> bool:
    """Volunteers enrol; organisers schedule. Other staff have nothing to do here."""
    return actor.volunteer_id is not None or runs_training(actor)


def organises(actor: Actor, session: dict[str, Any]) -> bool:
    """The session's organiser, or a national admin (the handler decides again)."""
    return actor.is_admin or (
        session["organiser"] is not None and session["organiser"] == str(actor.account_id)
    )


def starts_at_of(day: str, clock: str) -> datetime:
    try:
        moment = datetime.fromisoformat(f"{day.strip()}T{clock.strip()}")
    except ValueError:
        raise InvalidSession() from None
    return moment.replace(tzinfo=CAMPAIGN_TIMEZONE)


def local_day_of(session: dict[str, Any]) -> str:
    return local(from_utc_text(session["starts_at"])).date().isoformat()


def programme_of(text: str | None) -> str | None:
    return text if text in {p.value for p in Programme} else None


class TrainingPages(Controller):
    path = "/training"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def sessions(
        self, request: AnyRequest, programme: FromQuery[str | None] = None
    ) -> Response[str]:
        actor, db = actor_of(request), services_of(request).db
        if not takes_part(actor):
            raise PermissionDeniedException()
        chosen = programme_of(programme)
        volunteer = actor.volunteer_id
        rows = upcoming_sessions(db, datetime.now(UTC), chosen)
        return page(
            request,
            "training.html",
            personal=True,
            sessions=[
                {**row, "mine": organises(actor, row), "day": local_day_of(row)} for row in rows
            ],
            programme=chosen,
            programme_names=PROGRAMME_NAMES,
            enrolled=sessions_of_volunteer(db, str(volunteer)) if volunteer else set(),
            volunteer=volunteer,
            runs_training=runs_training(actor),
        )

    @post("/sessions")
    async def schedule(self, request: AnyRequest, data: Form) -> Response[Any]:
        if not runs_training(await resolved_actor(request)):
            raise PermissionDeniedException()
        command = ScheduleSession(
            data.get("programme", ""),
            starts_at_of(data.get("day", ""), data.get("time", "")),
            data.get("place", ""),
            count_of(data.get("capacity", "")),
        )
        said = gettext_for(locale_of(request), N_("The session is scheduled."))
        return await answered(request, command, back="/training", done=said)

    @post("/sessions/{session_id:uuid}/enrolment", guards=[requires_volunteer])
    async def enrol(
        self, request: AnyRequest, session_id: FromPath[UUID], data: Form
    ) -> Response[Any]:
        volunteer = volunteer_of(await resolved_actor(request))
        chosen = programme_of(data.get("programme"))
        back = "/training" + (f"?{urlencode({'programme': chosen})}" if chosen else "")
        said = gettext_for(locale_of(request), N_("You are enrolled in this session."))
        return await answered(request, Enrol(session_id, volunteer), back=back, done=said)

    @get("/sessions/{session_id:uuid}", sync_to_thread=True)
    def session(self, request: AnyRequest, session_id: FromPath[UUID]) -> Response[str]:
        services = services_of(request)
        session = self._organised(actor_of(request), services.db, session_id)
        people = [
            {
                **row,
                "full_name": services.sealer.unseal(row["full_name_sealed"])
                if row["full_name_sealed"]
                else "",
            }
            for row in enrolments_of(services.db, str(session_id))
        ]
        return page(
            request,
            "training_session.html",
            personal=True,
            session={**session, "day": local_day_of(session)},
            people=people,
            programme_names=PROGRAMME_NAMES,
        )

    @post("/sessions/{session_id:uuid}/attendance")
    async def attendance(self, request: AnyRequest, session_id: FromPath[UUID]) -> Response[Any]:
        """Everyone ticked is certified; each is recorded once however often it is sent."""
        actor, db = await resolved_actor(request), services_of(request).db
        await sync_to_thread(self._organised, actor, db, session_id)
        ticked = (await request.form()).getall("volunteer_id", [])
        refusals = []
        for volunteer in dict.fromkeys(ticked):
            try:
                command = RecordAttendance(session_id, UUID(volunteer))
            except ValueError:
                continue
            outcome = await dispatched(request, command)
            if not outcome.ok and outcome.notice:
                refusals.append(outcome.notice)
        await caught_up(request)
        locale = locale_of(request)
        if refusals:
            flash(request, "error", " ".join(dict.fromkeys(refusals)))
        elif ticked:
            flash(request, "success", gettext_for(locale, N_("Attendance is recorded.")))
        return Redirect(f"/training/sessions/{session_id}", status_code=303)

    @staticmethod
    def _organised(actor: Actor, db: Any, session_id: UUID) -> dict[str, Any]:
        session = find_session(db, str(session_id))
        if session is None:
            raise NotFoundException()
        if not organises(actor, session):
            raise PermissionDeniedException()
        return session
