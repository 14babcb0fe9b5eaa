"""No form in the pages asks a person to type an id: every page of the app, opened by each
kind of staff (and a desk), is read for fields a person types into (text, search, number,
textarea) that are named ``*_id`` or hold or suggest a UUID. Ids travel in hidden fields
and in the values of lists picked by name, never typed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.e2e.test_permissions import TABLE, world  # noqa: F401 - the module's world fixture
from tests.e2e.world import World

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
NOT_TYPED = {"hidden", "checkbox", "radio", "submit", "button", "file", "reset", "image"}
STAFF = ("admin", "site_manager", "coordinator_x", "desk_session")
# Numbers a person carries and reads out, not ids a system made: typing them is the point.
CARRIED = {"national_id"}


class TypedFields(HTMLParser):
    """The fields of a page a person types into."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        typed = tag == "textarea" or (
            tag == "input" and found.get("type", "text").lower() not in NOT_TYPED
        )
        if typed:
            self.fields.append({"tag": tag, **found})


def asks_for_an_id(field: dict[str, str]) -> bool:
    name = field.get("name", "").lower()
    if name in CARRIED:
        return False
    suggested = " ".join(field.get(k, "") for k in ("value", "placeholder", "pattern"))
    return (
        name == "id" or name.endswith(("_id", "-id", "_uuid")) or bool(UUID_TEXT.search(suggested))
    )


PAGES = sorted(
    {template for method, template, _, _ in TABLE if method == "GET"}
    - {"/live", "/sw.js", "/manifest.webmanifest", "/metrics", "/healthz", "/schema"}
)


@pytest.mark.parametrize("principal", STAFF)
def test_no_page_asks_a_person_to_type_an_id(world: World, principal: str) -> None:  # noqa: F811
    opened, asking = 0, []
    with world.client(principal) as client:
        for template in PAGES:
            response = client.get(world.path(template), follow_redirects=True)
            kind = response.headers.get("content-type", "")
            if response.status_code != 200 or not kind.startswith("text/html"):
                continue
            opened += 1
            parser = TypedFields()
            parser.feed(response.text)
            asking += [(template, f) for f in parser.fields if asks_for_an_id(f)]
    assert opened >= (3 if principal == "desk_session" else 15)  # the walk reached the pages
    assert asking == [], "\n".join(f"{page}: {field}" for page, field in asking)


def test_the_check_finds_a_typed_id() -> None:
    """The check itself: it would fail on the forms the issue found."""
    parser = TypedFields()
    parser.feed(
        '<input name="assignee_id"><input type="hidden" name="shift_id" value="x">'
        '<input name="scope" placeholder="c0f9ea16-1d2b-4c3a-9e8f-0a1b2c3d4e5f">'
        '<select name="site_id"><option value="c0f9ea16-1d2b-4c3a-9e8f-0a1b2c3d4e5f">'
    )
    assert [f["name"] for f in parser.fields if asks_for_an_id(f)] == ["assignee_id", "scope"]
