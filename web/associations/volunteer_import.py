"""An association's volunteers imported from a CSV or XLSX list into the shared database."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from web.platform.auth import actor_of, services_of
from web.platform.guards import check_association, requires_sign_in
from web.platform.i18n import N_
from web.platform.uploads import UploadBody, import_form, queued

AnyRequest = Request[Any, Any, Any]
VOLUNTEER_COLUMNS = {
    "full_name": ("full_name", "full name", "name", "الاسم", "الاسم بالكامل", "الاسم الكامل"),
    "phone": ("phone", "mobile", "mobile number", "الموبايل", "رقم الموبايل", "الهاتف", "التليفون"),
    "national_id": ("national_id", "national id", "الرقم القومي", "رقم قومي"),
    "governorate": ("governorate", "المحافظة"),
}


class VolunteerImport(Controller):
    path = "/associations/{association_id:uuid}/import"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def form(self, request: AnyRequest, association_id: FromPath[UUID]) -> Response[str]:
        association = check_association(actor_of(request), services_of(request).db, association_id)
        return import_form(
            request,
            association,
            f"/associations/{association_id}/import",
            N_("Import volunteers from a list"),
            N_(
                "A CSV or XLSX file with columns for the full name, mobile number and national"
                " ID, and optionally the governorate (Arabic or English headers). Volunteers"
                " already in the database are never duplicated: they are asked to join your"
                " association and appear on your list once they accept."
            ),
        )

    @post("/", sync_to_thread=True)
    def upload(
        self, request: AnyRequest, association_id: FromPath[UUID], data: UploadBody
    ) -> Redirect:
        actor = actor_of(request)
        check_association(actor, services_of(request).db, association_id)
        return queued(
            request,
            actor,
            "volunteers",
            str(association_id),
            data,
            VOLUNTEER_COLUMNS,
            optional=("governorate",),
        )
