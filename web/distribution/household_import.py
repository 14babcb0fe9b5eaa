"""Households registered in bulk from a CSV or XLSX list, with a progress bar and a report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import Body, FromPath
from litestar.response import Redirect

from web.platform.auth import actor_of, services_of
from web.platform.downloads import csv_response
from web.platform.guards import check_point, requires_sign_in
from web.platform.i18n import N_
from web.platform.imports import find_import, start_import
from web.platform.render import locale_of, page
from web.platform.tabular import read_table

AnyRequest = Request[Any, Any, Any]
HOUSEHOLD_COLUMNS = {
    "national_id": ("national_id", "national id", "الرقم القومي", "رقم قومي"),
    "size": ("size", "household size", "عدد الأفراد", "أفراد الأسرة", "عدد افراد الاسرة"),
}


@dataclass
class Upload:
    file: UploadFile


class HouseholdImport(Controller):
    guards = [requires_sign_in]

    @get("/points/{point_id:uuid}/import", sync_to_thread=True)
    def form(self, request: AnyRequest, point_id: FromPath[UUID]) -> Response[str]:
        point = check_point(actor_of(request), services_of(request).db, point_id)
        return page(
            request,
            "import_form.html",
            personal=True,
            heading=N_("Register households from a list"),
            place=point,
            action=f"/points/{point_id}/import",
            hint=N_(
                "A CSV or XLSX file with a column for the national ID of the head of household"
                " and one for the number of people (Arabic or English headers)."
            ),
        )

    @post("/points/{point_id:uuid}/import", sync_to_thread=True)
    def upload(
        self,
        request: AnyRequest,
        point_id: FromPath[UUID],
        data: Annotated[Upload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Redirect:
        services, actor = services_of(request), actor_of(request)
        check_point(actor, services.db, point_id)
        rows = read_table(data.file.filename or "", data.file.file.read(), HOUSEHOLD_COLUMNS)
        job_id = start_import(
            services.db, "households", actor, str(point_id), rows, locale_of(request)
        )
        services.wake_jobs()
        return Redirect(f"/imports/{job_id}", status_code=303)

    @get("/imports/{job_id:uuid}", sync_to_thread=True)
    def progress(self, request: AnyRequest, job_id: FromPath[UUID]) -> Response[str]:
        return page(request, "import_progress.html", personal=True, job=self._job(request, job_id))

    @get("/imports/{job_id:uuid}/panel", sync_to_thread=True)
    def panel(self, request: AnyRequest, job_id: FromPath[UUID]) -> Response[str]:
        return page(request, "_import_panel.html", personal=True, job=self._job(request, job_id))

    @get("/imports/{job_id:uuid}/rejected.csv", sync_to_thread=True)
    def rejected(self, request: AnyRequest, job_id: FromPath[UUID]) -> Response[bytes]:
        job = self._job(request, job_id)
        return csv_response(job["report"], ("row", "code", "reason"), f"rejected-{job_id}")

    @get("/api/v1/imports/{job_id:uuid}", sync_to_thread=True)
    def status(self, request: AnyRequest, job_id: FromPath[UUID]) -> dict[str, Any]:
        """How far an import has come, for scripts and devices that uploaded a list."""
        job = self._job(request, job_id)
        return {
            "job_id": str(job_id),
            "kind": job["kind"],
            "total": job["total"],
            "done": job["done"],
            "counts": {k: job[k] for k in ("created", "existing", "linked", "rejected")},
            "finished": job["finished_at"] is not None,
            "state": job["state"],
        }

    def _job(self, request: AnyRequest, job_id: UUID) -> dict[str, Any]:
        job = find_import(services_of(request).db, str(job_id))
        if job is None:
            raise NotFoundException()
        actor = actor_of(request)
        if job["owner"] not in (str(actor.account_id), str(actor.device_site_id)) and not (
            actor.is_admin
        ):
            raise PermissionDeniedException()
        return job
