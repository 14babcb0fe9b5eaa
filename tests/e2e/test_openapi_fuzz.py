"""The OpenAPI document tells the truth: requests generated from it (a fixed seed, a few
examples per operation), signed in as the national admin and as nobody, never get a 5xx, a
status the document does not list, a content type it does not declare or a JSON body that
does not match its schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coordination.areas.accounts.commands import CreateUser
from coordination.permissions import SYSTEM, Grant, Role
from tests.conftest import SECRET, started
from tests.helpers import PASSWORD, mobile
from web.app import create_app
from web.bootstrap import migrate_database
from web.platform.settings import Settings

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)
# Signing out would turn the admin's run into an anonymous one; the live stream never ends.
SKIPPED = {("DELETE", "/api/v1/session"), ("POST", "/sign-out"), ("GET", "/live")}
SIGNED_IN: dict[str, dict[str, str]] = {}


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path: Path = tmp_path_factory.mktemp("fuzz")
    config = Settings(
        database_url=f"sqlite:///{path}/katf.db", secret_key=SECRET, fast_password_hashing=True
    )
    migrate_database(config)
    admin = mobile()
    for services in started(config):
        grants = [Grant(Role.NATIONAL_ADMIN)]
        services.dispatcher.run(CreateUser(admin, "Nadia Fawzy", PASSWORD, grants), SYSTEM)
        app = create_app(services, secure_cookies=False)
        with asgi.get_client(app) as client:
            token = client.get("/api/v1/session").json()["csrf_token"]
            answer = client.post(
                "/api/v1/session",
                json={"phone": admin, "password": PASSWORD},
                headers={"X-CSRF-Token": token},
            )
            assert answer.status_code == 200, answer.text
            cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
            SIGNED_IN["admin"] = {"Cookie": cookie, "X-CSRF-Token": answer.json()["csrf_token"]}
        SIGNED_IN["anonymous"] = {}
        yield app


FUZZ = settings(
    max_examples=3,
    derandomize=True,  # the same requests on every run
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


def failures(app: Any, principal: str) -> list[str]:
    """Every operation fuzzed in turn; what went wrong, one line per operation."""
    found: list[str] = []
    for result in schemathesis.openapi.from_asgi("/schema/openapi.json", app).get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @FUZZ
        @given(case=operation.as_strategy())
        def fuzz(case: Any) -> None:
            case.call_and_validate(headers=SIGNED_IN[principal], checks=CHECKS)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as failed:  # noqa: BLE001 - each is reported
            found.append(f"{operation.method.upper()} {operation.path}: {str(failed)[:600]}")
    return found


@pytest.mark.parametrize("principal", ["admin", "anonymous"])
def test_every_answer_is_documented(fuzzed_app: Any, principal: str) -> None:
    found = failures(fuzzed_app, principal)
    assert not found, "\n\n".join(found)


def test_errors_and_content_types_are_documented(fuzzed_app: Any) -> None:
    with asgi.get_client(fuzzed_app) as client:
        document = client.get("/schema/openapi.json").json()
        missing = client.get("/api/v1/volunteers/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 401 and set(missing.json()["error"]) == {"code", "message"}
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]
    paths = document["paths"]
    for path, operations in paths.items():
        for operation in operations.values():
            assert {"400", "401", "403", "404", "409", "422", "429"} <= set(operation["responses"])
            if path.startswith("/api/"):
                assert "detail" not in str(operation["responses"]["422"])
    assert "text/html" in paths["/my-service"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in paths["/kitchens/report/csv"]["get"]["responses"]["200"]["content"]
    xlsx = paths["/kitchens/report/xlsx"]["get"]["responses"]["200"]["content"]
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in xlsx
    pdf = paths["/my-service/certificate.pdf"]["get"]["responses"]["200"]["content"]
    assert list(pdf) == ["application/pdf"]
