"""Households registered in bulk from a CSV or XLSX list, with a progress bar and a report."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect

from web.platform.auth import actor_of, services_of
from web.platform.downloads import csv_response
from web.platform.guards import check_point, requires_sign_in
from web.platform.i18n import N_
from web.platform.imports import find_import
from web.platform.render import page
from web.platform.uploads import UploadBody, import_form, queued

AnyRequest = Request[Any, Any, Any]
HOUSEHOLD_COLUMNS = {
    "national_id": ("national_id", "national id", "الرقم القومي", "رقم قومي"),
    "size": ("size", "household size", "عدد الأفراد", "أفراد الأسرة", "عدد افراد الاسرة"),
}


class HouseholdImport(Controller):
    guards = [requires_sign_in]

    @get("/points/{point_id:uuid}/import", sync_to_thread=True)
    def form(self, request: AnyRequest, point_id: FromPath[UUID]) -> Response[str]:
        point = check_point(actor_of(request), services_of(request).db, point_id)
        return import_form(
            request,
            point,
            f"/points/{point_id}/import",
            N_("Register households from a list"),
            N_(
                "A CSV or XLSX file with a column for the national ID of the head of household"
                " and one for the number of people (Arabic or English headers)."
            ),
        )

    @post("/points/{point_id:uuid}/import", sync_to_thread=True)
    def upload(self, request: AnyRequest, point_id: FromPath[UUID], data: UploadBody) -> Redirect:
        actor = actor_of(request)
        check_point(actor, services_of(request).db, point_id)
        return queued(request, actor, "households", str(point_id), data, HOUSEHOLD_COLUMNS)

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
