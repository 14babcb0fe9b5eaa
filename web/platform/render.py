"""Jinja2 pages and fragments in the request's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from uuid import uuid4

from babel.dates import format_date, format_time
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from litestar import Request, Response
from litestar.enums import MediaType
from litestar.exceptions import NotAuthorizedException
from markupsafe import Markup

from coordination.calendar import from_utc_text, local
from coordination.governorates import GOVERNORATES, get_governorate
from coordination.permissions import ANONYMOUS
from projections.inbox import unread_count
from web.platform.auth import actor_of, services_of
from web.platform.csrf import form_token
from web.platform.flash import take_flashes
from web.platform.i18n import (
    LANGUAGE_COOKIE,
    babel_locale,
    chart_locale,
    direction,
    entered,
    in_digits,
    left_to_right,
    negotiate,
    number,
    numbering,
    separator,
    translations,
    written,
)
from web.platform.messages import (
    HIJRI_MONTHS,
    ITEM_NAMES,
    ROLE_NAMES,
    SITE_KIND_NAMES,
    TICKET_WORDS,
)
from web.platform.static import static_url

# The shared templates, then every area's own (web/<area>/templates); a template keeps its bare
# name ("kitchen.html"), so a name is unique across web/ (tests/unit/test_templates.py).
SHARED = Path(__file__).parent / "templates"
TEMPLATES = [SHARED, *sorted(set(SHARED.parents[1].glob("*/templates")) - {SHARED})]
NO_STORE = {"Cache-Control": "no-store"}


def locale_of(request: Request[Any, Any, Any]) -> str:
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language", ""),
    )


@cache
def environment(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    in_page_digits(env, locale)
    _ = translations(locale).gettext

    def name_in(names: dict[str, str]) -> Callable[[str], str]:
        return lambda key: _(names.get(key, key))

    env.globals.update(
        locale=locale,
        dir=direction(locale),
        governorates=GOVERNORATES,
        role_name=name_in(ROLE_NAMES),
        site_kind_name=name_in(SITE_KIND_NAMES),
        item_name=name_in(ITEM_NAMES),
        governorate_name=lambda code: get_governorate(code).name(locale),
        uuid=lambda: str(uuid4()),
        static=static_url,
        hijri_month=lambda number: _(HIJRI_MONTHS[number - 1]),
        ticket_word=name_in(TICKET_WORDS),
        iftar_clock=lambda moment: in_digits(
            format_time(local(moment), format="short", locale=babel_locale(locale)), locale
        ),
        chart_locale=chart_locale(locale),
        sep=separator(locale),
        numbering=numbering(locale),
        site_name=lambda row: row["site_name_ar" if locale == "ar" else "site_name_en"],
        invalid=invalid_attributes,
    )
    # Numbers, days and times in the page's one digit style (KATF_ARABIC_DIGITS on Arabic pages)
    env.filters["day"] = lambda text: in_digits(
        format_date(
            datetime.fromisoformat(text).date(), format="full", locale=babel_locale(locale)
        ),
        locale,
    )
    env.filters["clock"] = lambda text: in_digits(
        format_time(local(from_utc_text(text)), format="short", locale=babel_locale(locale)),
        locale,
    )
    env.filters["num"] = lambda value, fraction=None: number(value, locale, fraction=fraction)
    env.filters["digits"] = lambda text: left_to_right(str(text), locale)
    env.filters["entered"] = lambda value: entered(value, locale)  # what a number field holds
    env.filters["phone"] = lambda e164: left_to_right(spaced_phone(e164), locale)
    return env


def in_page_digits(env: Environment, locale: str) -> None:
    """A count put into a template's sentence (``_("%(count)s boxes", count=n)``, ngettext's
    ``num``) is written in the page's digits, as ``gettext_for`` writes them in Python."""
    gettext, ngettext = env.globals["gettext"], env.globals["ngettext"]

    def values(variables: dict[str, Any]) -> dict[str, Any]:
        return {key: written(value, locale) for key, value in variables.items()}

    # positional names no template passes as a value (a sentence may well say %(num)s itself)
    @pass_context
    def gettext_in_digits(__context: Context, __string: str, **variables: Any) -> str:
        return gettext(__context, __string, **values(variables))  # type: ignore[operator]

    @pass_context
    def ngettext_in_digits(
        __context: Context, __singular: str, __plural: str, __num: int, **variables: Any
    ) -> str:
        variables.setdefault("num", __num)
        return ngettext(__context, __singular, __plural, __num, **values(variables))  # type: ignore[operator]

    env.globals.update(gettext=gettext_in_digits, ngettext=ngettext_in_digits)


def invalid_attributes(errors: dict[str, Any], name: str) -> Markup:
    """A field's marks when it was refused: a function, not a template macro, because a macro
    and the context it was made in refer to each other, a cycle left by every render."""
    if not errors.get(name):
        return Markup("")
    return Markup(' aria-invalid="true" aria-describedby="{}-error"').format(name)


def spaced_phone(e164: str) -> str:
    """+201223456789 as +20 122 345 6789, the groups an Egyptian reads a mobile number in."""
    if e164.startswith("+20") and len(e164) == 13:
        return f"{e164[:3]} {e164[3:6]} {e164[6:9]} {e164[9:]}"
    return e164


def render(request: Request[Any, Any, Any], template: str, **context: Any) -> str:
    locale = locale_of(request)
    try:
        actor = actor_of(request)
    except NotAuthorizedException:
        actor = ANONYMOUS
    if not template.startswith("_") and "flashes" not in context:
        context["flashes"] = take_flashes(request)  # what a plain form's answer said
    if not template.startswith("_") and actor.volunteer_id is not None:
        context.setdefault("unread", unread_count(services_of(request).db, str(actor.volunteer_id)))
    return (
        environment(locale)
        .get_template(template)
        .render(
            request=request,
            csrf_token=form_token(request),
            actor=actor,
            signed_in=actor.account_id is not None or actor.device_site_id is not None,
            **context,
        )
    )


def page(
    request: Request[Any, Any, Any],
    template: str,
    *,
    status_code: int = 200,
    personal: bool = False,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response[str]:
    """A page or fragment; ``personal`` ones are never kept in any cache."""
    extra = {**NO_STORE, "Vary": "Cookie"} if personal else {"Vary": "Cookie"}
    return Response(
        render(request, template, **context),
        status_code=status_code,
        media_type=MediaType.HTML,
        headers={**extra, **(headers or {})},
    )
