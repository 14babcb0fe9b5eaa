"""The OpenAPI document says what every route really answers: the error answers each may give
(400, 401, 403, 404, 409, 422, 429) with the body they carry — ``{"error": {"code", "message"}}``
as JSON, or the error page — and the content type of each success: HTML pages, CSV, XLSX and
PDF downloads, the live stream. Litestar describes the success path only, as JSON."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin

Schema = dict[str, Any]

ERROR_BODY: Schema = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}
ERRORS = {
    "400": "The request could not be read",
    "401": "Sign in first",
    "403": "Not allowed for who is asking",
    "404": "No such thing",
    "409": (
        "Refused by a rule (full, taken, already done), or the same Idempotency-Key still being"
        " decided (idempotency_key_in_flight, with Retry-After)"
    ),
    "422": (
        "Invalid input, each mistake named, or an Idempotency-Key that came with another"
        " request (idempotency_key_reused)"
    ),
    "429": "Too many attempts; try again later",
}
HTML: Schema = {"text/html": {"schema": {"type": "string"}}}
JSON_ERROR: Schema = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY: Schema = {"type": "string", "format": "binary"}
DOWNLOADS: dict[str, tuple[str, ...]] = {
    "/kitchens/report/csv": (CSV,),
    "/kitchens/report/xlsx": (XLSX,),
    "/imports/{job_id}/rejected.csv": (CSV,),
    "/operations/report/{kind}": (CSV,),
    "/packing/{site_id}/export/{name}": (CSV, XLSX),
    "/governorates/report/{name}": (CSV, XLSX),
    "/my-service/certificate.pdf": ("application/pdf",),
    "/sw.js": ("text/javascript",),
    "/manifest.webmanifest": ("application/manifest+json",),
    "/live": ("text/event-stream",),
    "/metrics": ("text/plain",),
}
JSON_PAGES = {"/healthz"}


def success_content(path: str) -> Schema | None:
    """What a non-API route's success carries; None: as Litestar described it."""
    if path in DOWNLOADS:
        return {
            media: {"schema": {} if media.endswith("json") else BINARY} for media in DOWNLOADS[path]
        }
    if path in JSON_PAGES:
        return None
    return {**HTML, "application/json": {"schema": {}}}  # pages answer JSON when asked


def document_operation(path: str, method: str, operation: Schema) -> None:
    api = path.startswith("/api/")
    responses: Schema = operation.setdefault("responses", {})
    if not api:
        content = success_content(path)
        for status, response in list(responses.items()):
            if status.startswith("2") and content is not None:
                response["content"] = content
        if method == "post":
            # a plain form is answered with a redirect, htmx with a fragment
            responses.setdefault("200", {"description": "A fragment", "content": HTML})
            responses.setdefault("303", {"description": "Done or refused: see the flash"})
        responses.setdefault("302", {"description": "Elsewhere"})
    for status, description in ERRORS.items():
        content = JSON_ERROR if api else {**HTML, **JSON_ERROR}
        responses[status] = {"description": description, "content": content}


def documented(schema: Schema) -> Schema:
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_BODY
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                document_operation(path, method, operation)
    return schema


class DocumentedOpenAPIPlugin(OpenAPIPlugin):
    __slots__ = ()

    def provide_openapi_schema(self) -> Schema:
        if not self._openapi_schema:
            self._openapi_schema = documented(self.provide_openapi().to_schema())
        return self._openapi_schema


def document_errors(app: Litestar) -> None:
    """The app's OpenAPI document, built once when first asked for, with its errors."""
    app.plugins.get(OpenAPIPlugin).__class__ = DocumentedOpenAPIPlugin
