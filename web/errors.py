"""Domain errors as HTTP answers: a status, a machine code and a sentence in the right language."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from coordination.errors import DomainError, InvalidInput, NotFound, RuleViolation
from web.i18n import gettext_for
from web.messages import ERROR_MESSAGES
from web.render import locale_of, page


def status_of(error: DomainError) -> int:
    if isinstance(error, InvalidInput):
        return 422
    if isinstance(error, RuleViolation):
        return 409
    if isinstance(error, NotFound):
        return 404
    return 400


def message_of(error: DomainError, locale: str) -> str:
    for cls in type(error).__mro__:
        template = ERROR_MESSAGES.get(getattr(cls, "code", ""))
        if template:
            values = {key: str(value) for key, value in error.context.items()}
            try:
                return gettext_for(locale, template, **values)
            except (KeyError, ValueError):
                return gettext_for(locale, ERROR_MESSAGES["invalid_input"])
    return gettext_for(locale, ERROR_MESSAGES["invalid_input"])


def error_payload(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def is_api(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/")


def domain_error_handler(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    locale = locale_of(request)
    message = message_of(error, locale)
    if is_api(request):
        return Response(
            error_payload(error.code, message),
            status_code=status_of(error),
            headers={"Content-Language": locale},
        )
    return page(request, "error.html", status_code=status_of(error), message=message)


def validation_error_handler(
    request: Request[Any, Any, Any], error: ValidationException
) -> Response[Any]:
    locale = locale_of(request)
    fields = ", ".join(
        str(item.get("key") or item.get("message", ""))
        for item in (error.extra or [])
        if isinstance(item, dict)
    )
    message = gettext_for(locale, ERROR_MESSAGES["malformed_request"], detail=fields or "-")
    if is_api(request):
        return Response(
            error_payload("malformed_request", message),
            status_code=422,
            headers={"Content-Language": locale},
        )
    return page(request, "error.html", status_code=422, message=message)


def http_error_handler(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    if is_api(request):
        return Response(
            error_payload("http_error", str(error.detail)),
            status_code=error.status_code,
            media_type=MediaType.JSON,
        )
    locale = locale_of(request)
    message = (
        gettext_for(locale, ERROR_MESSAGES["not_found"])
        if error.status_code == 404
        else (str(error.detail))
    )
    return page(request, "error.html", status_code=error.status_code, message=message)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
}
