"""A browser without JavaScript posting a page's form: what the refusal tests read back."""

from __future__ import annotations

from litestar.testing import TestClient
from markupsafe import escape

from coordination.errors import DomainError
from tests.e2e.clients import sign_in
from tests.e2e.test_pages import form_token
from web.platform.errors import message_of


def signed_in_as_a_browser(client: TestClient, phone: str) -> None:
    """Signed in, without the header htmx sends: the forms carry their own token."""
    sign_in(client, phone)
    client.headers.pop("X-CSRF-Token", None)


def plain_post(client: TestClient, page: str, action: str, **fields: str) -> str:
    """The page a browser without JavaScript shows after posting the form on ``page``."""
    form = {"_csrf_token": form_token(client.get(page).text), **fields}
    response = client.post(action, data=form, follow_redirects=True)
    assert response.status_code == 200
    assert "HX-Request" not in response.request.headers
    assert response.url.path == page
    return response.text


def says(page: str, refusal: DomainError, locale: str = "ar") -> bool:
    """The page carries the refusal's sentence in ``locale``, as the page writes it."""
    return str(escape(message_of(refusal, locale))) in page
