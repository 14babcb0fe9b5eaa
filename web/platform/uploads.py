"""A list to import, as every area asks for it: the upload form and the upload that queues it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from coordination.permissions import Actor
from web.platform.auth import services_of
from web.platform.imports import start_import
from web.platform.render import locale_of, page
from web.platform.tabular import read_table

AnyRequest = Request[Any, Any, Any]


@dataclass
class Upload:
    file: UploadFile


UploadBody = Annotated[Upload, Body(media_type=RequestEncodingType.MULTI_PART)]


def import_form(
    request: AnyRequest, place: Any, action: str, heading: str, hint: str
) -> Response[str]:
    return page(
        request,
        "import_form.html",
        personal=True,
        heading=heading,
        place=place,
        action=action,
        hint=hint,
    )


def queued(
    request: AnyRequest,
    actor: Actor,
    kind: str,
    target: str,
    upload: Upload,
    columns: dict[str, tuple[str, ...]],
    optional: tuple[str, ...] = (),
) -> Redirect:
    """The uploaded table queued as an import job, and the person sent to its progress."""
    services = services_of(request)
    rows = read_table(upload.file.filename or "", upload.file.file.read(), columns, optional)
    job_id = start_import(services.db, kind, actor, target, rows, locale_of(request))
    services.wake_jobs()
    return Redirect(f"/imports/{job_id}", status_code=303)
