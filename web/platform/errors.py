"""Errors as HTTP answers: a status, a machine code and a sentence in the right language."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)

from coordination.errors import DomainError, Forbidden, InvalidInput, NotFound, RuleViolation
from web.platform.i18n import gettext_for, ngettext_for, written
from web.platform.messages import (
    ERROR_MESSAGES,
    FOLLOW_UPS,
    PLURAL_ERROR_MESSAGES,
    PROGRAMME_NAMES,
)
from web.platform.ratelimit import TooManyAttempts
from web.platform.render import locale_of, page

AnyRequest = Request[Any, Any, Any]
STATUS = (
    (TooManyAttempts, 429),
    (Forbidden, 403),
    (InvalidInput, 422),
    (RuleViolation, 409),
    (NotFound, 404),
)
HTTP_CODES = {
    401: "sign_in_required",
    403: "not_allowed",
    404: "not_found",
    405: "not_allowed",
    429: "too_many_attempts",
}


def status_of(error: DomainError) -> int:
    return next((status for kind, status in STATUS if isinstance(error, kind)), 400)


def message_of(error: DomainError, locale: str) -> str:
    for cls in type(error).__mro__:
        code = getattr(cls, "code", "")
        template, counted = ERROR_MESSAGES.get(code), PLURAL_ERROR_MESSAGES.get(code)
        if template or counted:
            values = {key: str(written(value, locale)) for key, value in error.context.items()}
            if "programme" in values:
                name = PROGRAMME_NAMES.get(values["programme"], values["programme"])
                values["certificate"] = gettext_for(locale, name)
            try:
                if counted:
                    singular, plural, count = counted
                    n = int(str(error.context[count]))
                    return ngettext_for(locale, singular, plural, n, **values)
                return gettext_for(locale, str(template), **values)
            except (KeyError, ValueError, TypeError):
                break
    return gettext_for(locale, ERROR_MESSAGES["invalid_input"])


def follow_up_of(error: DomainError, locale: str) -> tuple[str, str] | None:
    """Where the refused person can put it right (a path and its link's words), if anywhere:
    a missing certificate links to the sessions that give it."""
    for cls in type(error).__mro__:
        follow_up = FOLLOW_UPS.get(getattr(cls, "code", ""))
        if follow_up:
            path, words = follow_up
            values = {key: quote(str(value)) for key, value in error.context.items()}
            try:
                return path % values, gettext_for(locale, words)
            except (KeyError, ValueError):
                return None
    return None


def is_api(request: AnyRequest) -> bool:
    return request.url.path.startswith("/api/")


def answer(
    request: AnyRequest, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response[Any]:
    locale = locale_of(request)
    headers = {"Content-Language": locale, **(headers or {})}
    if is_api(request):
        return Response(
            {"error": {"code": code, "message": message}}, status_code=status, headers=headers
        )
    if status == 401:
        return page(
            request,
            "sign_in.html",
            status_code=401,
            headers=headers,
            form={},
            error=message,
            next_path=request.url.path if request.method == "GET" else "/shifts",
        )
    return page(request, "error.html", status_code=status, headers=headers, message=message)


def domain_error_handler(request: AnyRequest, error: DomainError) -> Response[Any]:
    retry_after = getattr(error, "retry_after", None)  # too many attempts, a key in flight
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return answer(
        request, status_of(error), error.code, message_of(error, locale_of(request)), headers
    )


def validation_error_handler(request: AnyRequest, error: ValidationException) -> Response[Any]:
    fields = ", ".join(
        str(item.get("key") or item.get("message", ""))
        for item in (error.extra or [])
        if isinstance(item, dict)
    )
    message = gettext_for(
        locale_of(request), ERROR_MESSAGES["malformed_request"], detail=fields or "-"
    )
    return answer(request, 422, "malformed_request", message)


def http_error_handler(request: AnyRequest, error: HTTPException) -> Response[Any]:
    code = HTTP_CODES.get(error.status_code, "http_error")
    template = ERROR_MESSAGES.get(code)
    message = gettext_for(locale_of(request), template) if template else str(error.detail)
    return answer(request, error.status_code, code, message)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    NotAuthorizedException: http_error_handler,
    PermissionDeniedException: http_error_handler,
    HTTPException: http_error_handler,
}
