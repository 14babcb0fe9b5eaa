"""The JSON API of training: sessions scheduled, volunteers enrolled, attendance certified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, post
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, JSONBody

from coordination.areas.training.commands import Enrol, RecordAttendance, ScheduleSession
from web.platform.answers import decided
from web.platform.guards import requires_sign_in

AnyRequest = Request[Any, Any, Any]


@dataclass
class NewSession:
    programme: str
    starts_at: datetime
    place: str
    capacity: int


@dataclass
class Trainee:
    volunteer_id: UUID


class TrainingApi(Controller):
    path = "/api/v1/training/sessions"
    tags = ["training"]
    guards = [requires_sign_in]
    cache_control = CacheControlHeader(no_store=True)

    @post("/", status_code=201)
    async def schedule(self, request: AnyRequest, data: JSONBody[NewSession]) -> dict[str, str]:
        command = ScheduleSession(data.programme, data.starts_at, data.place, data.capacity)
        session_id = await decided(request, command)
        return {"session_id": str(session_id)}

    @post("/{session_id:uuid}/enrolments", status_code=200)
    async def enrol(
        self, request: AnyRequest, session_id: FromPath[UUID], data: JSONBody[Trainee]
    ) -> dict[str, Any]:
        enrolled = await decided(request, Enrol(session_id, data.volunteer_id))
        return {"enrolled": enrolled}

    @post("/{session_id:uuid}/attendance", status_code=200)
    async def attend(
        self, request: AnyRequest, session_id: FromPath[UUID], data: JSONBody[Trainee]
    ) -> dict[str, Any]:
        certified = await decided(request, RecordAttendance(session_id, data.volunteer_id))
        return {"certified": certified}
