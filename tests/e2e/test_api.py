"""The JSON API: registration rules, error answers in both languages, sign-up and withdrawal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from litestar.testing import TestClient

from coordination.areas.accounts.lookups import account, account_id_for
from coordination.areas.training.commands import ScheduleSession
from coordination.permissions import SYSTEM
from tests.e2e.clients import new_volunteer, prime, sign_in
from tests.helpers import PASSWORD, mobile, national_id
from tests.integration.scenarios import make_shift
from tests.integration.training_scenarios import kitchen_shift
from web.bootstrap import Services

ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def client(client: TestClient) -> TestClient:
    return prime(client)


def registration(**overrides: str) -> dict[str, str]:
    return {
        "full_name": "Karim Fathy",
        "phone": mobile(),
        "national_id": national_id(),
        "governorate": "01",
        "password": PASSWORD,
        **overrides,
    }


def events(services: Services) -> int:
    return services.app.recorder.max_notification_id() or 0


INVALID = {
    "landline phone": ({"phone": "0223456789"}, "invalid_phone"),
    "foreign phone": ({"phone": "+447911123456"}, "invalid_phone"),
    "short national id": ({"national_id": "2900101010001"}, "national_id_length"),
    "long national id": ({"national_id": "290010101000155"}, "national_id_length"),
    "century digit": ({"national_id": "49001010100015"}, "national_id_century"),
    "impossible birth date": ({"national_id": "29002300100015"}, "national_id_birth_date"),
    "unknown governorate code": ({"national_id": "29001019900015"}, "national_id_governorate"),
    "unknown governorate": ({"governorate": "99"}, "unknown_governorate"),
    "empty name": ({"full_name": ""}, "invalid_name"),
    "huge name": ({"full_name": "ا" * 10_000}, "invalid_name"),
    "short password": ({"password": "a1b2c3"}, "password_length"),
    "long password": ({"password": "x9" * 40}, "password_length"),
    "common password": ({"password": "password123"}, "common_password"),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_invalid_registration_is_422_and_records_nothing(
    client: TestClient, services: Services, case: str
) -> None:
    overrides, code = INVALID[case]
    before = events(services)
    response = client.post("/api/v1/volunteers", json=registration(**overrides))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert events(services) == before


def test_missing_fields_are_422_with_a_sentence(client: TestClient) -> None:
    response = client.post("/api/v1/volunteers", json={"full_name": "Only a name"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "malformed_request"


def test_arabic_indic_digits_are_accepted_and_normalised(
    client: TestClient, services: Services
) -> None:
    phone = mobile()
    response = client.post(
        "/api/v1/volunteers",
        json=registration(
            phone=phone.translate(ARABIC_DIGITS), national_id=national_id().translate(ARABIC_DIGITS)
        ),
    )
    assert response.status_code == 201
    volunteer = services.app.repository.get(UUID(response.json()["id"]))
    assert volunteer.phone == "+2" + phone
    assert account(services.app, account_id_for(services.app, phone)).volunteer_id == volunteer.id


def test_errors_speak_the_requested_language(client: TestClient) -> None:
    body = registration(phone="123")
    arabic = client.post("/api/v1/volunteers", json=body, headers={"Accept-Language": "ar"})
    english = client.post("/api/v1/volunteers", json=body, headers={"Accept-Language": "en"})
    assert "Egyptian mobile" in english.json()["error"]["message"]
    assert arabic.json()["error"]["message"] != english.json()["error"]["message"]
    assert any("\u0600" <= char <= "\u06ff" for char in arabic.json()["error"]["message"])


def test_duplicate_registration_is_409(client: TestClient) -> None:
    body = registration()
    assert client.post("/api/v1/volunteers", json=body).status_code == 201
    again = client.post("/api/v1/volunteers", json={**body, "phone": mobile()})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_registered"


def test_sign_up_replay_and_withdraw(client: TestClient, services: Services) -> None:
    shift = make_shift(services, capacity=2)
    me = new_volunteer(client)
    sign_in(client, me["phone"])
    url = f"/api/v1/shifts/{shift}/sign-ups"
    body = {"volunteer_id": me["id"]}
    first = client.post(url, json=body, headers={"Idempotency-Key": "a"})
    before = events(services)
    replay = client.post(url, json=body, headers={"Idempotency-Key": "a"})
    assert first.status_code == replay.status_code == 201
    assert replay.json()["outcome"] == first.json()["outcome"] == "signed_up"
    assert events(services) == before
    services.runner.catch_up()
    listed = client.get(f"/api/v1/volunteers/{me['id']}/shifts").json()
    assert [s["id"] for s in listed] == [str(shift)]
    gone = client.delete(f"{url}/{me['id']}")
    assert gone.status_code == 200 and gone.json()["outcome"] == "withdrawn"


def test_a_sign_up_without_a_certificate_names_the_next_session(
    client: TestClient, services: Services
) -> None:
    shift = kitchen_shift(services)
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    services.dispatcher.run(
        ScheduleSession("food_hygiene", when, "Imbaba youth centre", 30), SYSTEM
    )
    me = new_volunteer(client)
    sign_in(client, me["phone"])
    refused = client.post(
        f"/api/v1/shifts/{shift}/sign-ups",
        json={"volunteer_id": me["id"]},
        headers={"Accept-Language": "en"},
    )
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "missing_certificate_next_session"
    assert "Imbaba youth centre" in error["message"]


def test_unknown_shift_is_404(client: TestClient) -> None:
    me = new_volunteer(client)
    sign_in(client, me["phone"])
    response = client.post(
        "/api/v1/shifts/00000000-0000-0000-0000-000000000000/sign-ups",
        json={"volunteer_id": me["id"]},
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "shift_not_found"


def test_board_lists_shifts_with_free_places(client: TestClient, services: Services) -> None:
    shift = make_shift(services, capacity=5)
    services.runner.catch_up()
    board = client.get("/api/v1/shifts", params={"governorate": "01"}).json()
    assert [(s["id"], s["free"]) for s in board] == [(str(shift), 5)]


def test_openapi_schema_is_served(client: TestClient) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert "/api/v1/shifts/{shift_id}/sign-ups" in paths
