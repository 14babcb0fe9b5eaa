"""An association's volunteers imported from a CSV or XLSX list into the shared database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from web.platform.auth import actor_of, services_of
from web.platform.guards import check_association, requires_sign_in
from web.platform.i18n import N_
from web.platform.imports import start_import
from web.platform.render import locale_of, page
from web.platform.tabular import read_table

AnyRequest = Request[Any, Any, Any]
VOLUNTEER_COLUMNS = {
    "full_name": ("full_name", "full name", "name", "الاسم", "الاسم بالكامل", "الاسم الكامل"),
    "phone": ("phone", "mobile", "mobile number", "الموبايل", "رقم الموبايل", "الهاتف", "التليفون"),
    "national_id": ("national_id", "national id", "الرقم القومي", "رقم قومي"),
    "governorate": ("governorate", "المحافظة"),
}


@dataclass
class Upload:
    file: UploadFile


class VolunteerImport(Controller):
    path = "/associations/{association_id:uuid}/import"
    guards = [requires_sign_in]

    @get("/", sync_to_thread=True)
    def form(self, request: AnyRequest, association_id: FromPath[UUID]) -> Response[str]:
        association = check_association(actor_of(request), services_of(request).db, association_id)
        return page(
            request,
            "import_form.html",
            personal=True,
            heading=N_("Import volunteers from a list"),
            place=association,
            action=f"/associations/{association_id}/import",
            hint=N_(
                "A CSV or XLSX file with columns for the full name, mobile number and national"
                " ID, and optionally the governorate (Arabic or English headers). Volunteers"
                " already in the database are never duplicated: they are asked to join your"
                " association and appear on your list once they accept."
            ),
        )

    @post("/", sync_to_thread=True)
    def upload(
        self,
        request: AnyRequest,
        association_id: FromPath[UUID],
        data: Annotated[Upload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Redirect:
        services, actor = services_of(request), actor_of(request)
        check_association(actor, services.db, association_id)
        rows = read_table(
            data.file.filename or "", data.file.file.read(), VOLUNTEER_COLUMNS, ("governorate",)
        )
        job_id = start_import(
            services.db, "volunteers", actor, str(association_id), rows, locale_of(request)
        )
        services.wake_jobs()
        return Redirect(f"/imports/{job_id}", status_code=303)
