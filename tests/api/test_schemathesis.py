"""Property-based run of the whole API against its own OpenAPI document: no request may give a 5xx.

Schemathesis reads /api/v1/openapi.json from the WSGI application in-process (full middleware stack, test
database) and runs each operation through its examples, coverage (boundary values, missing and malformed
parameters) and fuzzing phases, with valid and invalid data, bounded and derandomized so CI is fast and
repeatable. A second run aims valid requests at resources that exist, so 200 bodies are checked too, not
only 404s. A third runs each write operation as the caller the first did not use (a seller session with its CSRF
header, or nobody), so every write is exercised both signed in and anonymous. Every response is checked: never a
server error; status code and content type documented; body valid against the documented schema; invalid input
refused with a 4xx; valid input not refused.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from taybac.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]
BUDGET = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
# The werkzeug client behind from_wsgi does not decompress, and GZipMiddleware would answer gzip.
HEADERS = {"Accept-Encoding": "identity"}

SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@pytest.fixture
def wsgi_in_test_transaction():
    """A real WSGI handler closes the database connection at the start and end of each request, which
    would drop the test's transaction; Django's own test client disconnects the same handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _inverted_price_range(case: schemathesis.Case) -> bool:
    """A rule across two parameters that OpenAPI cannot express; the API answers it with a documented 400."""
    query = case.query or {}
    try:
        return int(query["price_min"]) > int(query["price_max"])
    except (KeyError, TypeError, ValueError):  # absent, or not integers (then it is a 422 case)
        return False


def _seller_session(case: schemathesis.Case, catalog) -> dict[str, str]:
    """Sign the case in as the honey shop's owner: session and CSRF cookies, and the CSRF header to send."""
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client()
    client.force_login(catalog.honey_shop.producer.owner)
    token = _get_new_csrf_string()
    case.cookies = {**(case.cookies or {}), "sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    return {**HEADERS, "X-CSRFToken": token}


@pytest.fixture
def epcis_key(capture_token) -> str:
    """A partner's capture key (stored hashed; tests/api/conftest.py) for POST /epcis/capture."""
    return capture_token


def _validate(case: schemathesis.Case, catalog, epcis_key: str) -> None:
    if case.operation.path == "/api/v1/epcis/capture":
        # The documented body is "an object" (GS1's EPCIS schema is too large to restate in OpenAPI), so generated
        # objects are mostly not EPCIS documents: 400 invalid_epcis with field details. The documented example is
        # a real document and is captured (201). Every refusal (400, 409, 415 without a body, 405 for other
        # methods) is the error envelope.
        response = case.call(headers={**HEADERS, "Authorization": f"Bearer {epcis_key}"})
        if response.status_code != 201:
            assert set(response.json()) == {"error"}, response.text
        case.validate_response(response, checks=[c for c in CHECKS if c is not positive_data_acceptance])
        return
    if case.operation.path in ("/api/v1/checkout", "/api/v1/cart/quote") or case.operation.path.startswith(
        "/api/v1/payments/"
    ):
        # A schema-valid checkout or quote can still break rules OpenAPI cannot state (a real mobile number,
        # stock, a variant or province that exists, a commune inside its province): those get the documented
        # 400 envelope, never a 5xx.
        response = case.call(headers=HEADERS)
        if response.status_code == 400:
            assert set(response.json()) == {"error"}, response.text
        case.validate_response(response, checks=[c for c in CHECKS if c is not positive_data_acceptance])
        return
    if case.operation.path.startswith("/api/v1/seller/"):
        case.call_and_validate(checks=CHECKS, headers=_seller_session(case, catalog))
        return
    if case.operation.path == "/api/v1/assistant/messages":
        # Schema-valid text can still have nothing printable in it (400 `invalid`), and the examples of one run
        # come from one client network, so the per-minute limit answers the documented 429 part-way through.
        response = case.call(headers=HEADERS)
        if response.status_code in (400, 429):
            assert set(response.json()) == {"error"}, response.text
        case.validate_response(response, checks=[c for c in CHECKS if c is not positive_data_acceptance])
        return
    # price_min > price_max: documented as the search's 400 (invalid_price_range); OpenAPI cannot say it.
    if _inverted_price_range(case) and case.meta is not None and case.meta.generation.mode.is_positive:
        response = case.call(headers=HEADERS)
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "invalid_price_range"
        case.validate_response(response, checks=[c for c in CHECKS if c is not positive_data_acceptance])
        return
    case.call_and_validate(checks=CHECKS, headers=HEADERS)


def test_every_operation_is_in_the_document():
    assert len(OPERATIONS) == 27
    assert {label for label in OPERATIONS if not label.startswith("GET ")} == {
        "PATCH /api/v1/seller/variants/{id}",
        "POST /api/v1/seller/shops/{slug}/products",
        "POST /api/v1/checkout",
        "POST /api/v1/cart/quote",
        "POST /api/v1/payments/notifications/{provider}",
        "POST /api/v1/epcis/capture",
        "POST /api/v1/reviews",
        "POST /api/v1/assistant/messages",
    }


@SCHEMA.parametrize()
@BUDGET
def test_api_conforms_to_its_openapi_document(case, catalog, wsgi_in_test_transaction, epcis_key):
    _validate(case, catalog, epcis_key)


WRITES = sorted(label for label in OPERATIONS if not label.startswith("GET "))
WRITE_BUDGET = settings(BUDGET, max_examples=12)
# Without CHECKS' positive_data_acceptance: as the other caller, valid data is rightly refused (401, 403, 400).
CALLER_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.mark.parametrize("label", WRITES)
def test_write_operations_as_the_other_caller(label, catalog, wsgi_in_test_transaction):
    """The main run calls /seller/ with a seller session, /epcis/capture with a key and the rest anonymously;
    here each write operation gets the other caller — /seller/ anonymously (401), the rest with the honey shop
    owner's session and CSRF header (checkout and quote as a signed-in buyer, capture as a seller, notifications
    still without the provider's key): every answer documented, none a 5xx."""
    operation = OPERATIONS[label]
    anonymous = operation.path.startswith("/api/v1/seller/")

    @given(case=operation.as_strategy())
    @WRITE_BUDGET
    def run(case: schemathesis.Case) -> None:
        headers = HEADERS if anonymous else _seller_session(case, catalog)
        response = case.call(headers=headers)
        if anonymous:
            assert response.status_code == 401, response.text  # before any parameter is even read
        elif operation.path.startswith("/api/v1/payments/"):
            assert response.status_code in (400, 401, 404, 422), response.text  # a session is not the provider
        case.validate_response(response, checks=CALLER_CHECKS)

    run()


def _existing(catalog, path: str) -> dict[str, Any]:
    identifier = catalog.honey.variants.first().pk if path.startswith("/api/v1/seller/variants") else catalog.honey.pk
    code: Any = 15
    if path.startswith("/api/v1/orders/"):
        from taybac.orders.checkout import Contact, LineRequest, place_order
        from taybac.regions.services import create_address

        code = place_order(
            buyer=None,
            lines=[LineRequest(catalog.tea.variants.get().pk, 1)],
            contact=Contact("Lan", ORDER_PHONE),
            payment_method="vietqr",
            delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
        ).code
    if path.startswith("/api/v1/live-sessions/"):
        from django.utils import timezone

        from taybac.campaigns.live_services import schedule_session

        owner, variant = catalog.honey_shop.producer.owner, catalog.honey.variants.first()
        identifier = schedule_session(
            actor=owner,
            shop=catalog.honey_shop,
            title="Mật ong",
            scheduled_start=timezone.now(),
            variant_ids=[variant.pk],
        ).pk
    if path.startswith("/api/v1/sales-windows/"):
        from tests.api.windows import open_window_for

        identifier = open_window_for(catalog.honey_shop)
    return {"code": code, "slug": catalog.honey_shop.slug, "id": identifier, "provider": "sepay"}


ORDER_PHONE = "0912345678"


@pytest.mark.parametrize("label", sorted(label for label, op in OPERATIONS.items() if "{" in op.path))
def test_existing_resources_conform(label, catalog, wsgi_in_test_transaction, settings):
    settings.TAYBAC_SEPAY_API_KEY = "test-key"
    operation = OPERATIONS[label]
    names = {p.name for p in operation.path_parameters}
    extra = {"query": {"phone": ORDER_PHONE}} if operation.path.startswith("/api/v1/orders/") else {}
    strategy = operation.as_strategy(
        GenerationMode.POSITIVE,
        path_parameters={k: v for k, v in _existing(catalog, operation.path).items() if k in names},
        **extra,
    )

    @given(case=strategy)
    @BUDGET
    def run(case: schemathesis.Case) -> None:
        if operation.path.startswith("/api/v1/seller/"):
            # The owner's own shop and variant: created or updated, or a domain refusal such as a blank name.
            response = case.call(headers=_seller_session(case, catalog))
            assert response.status_code in (200, 201, 400), response.text
        elif operation.path.startswith("/api/v1/payments/"):
            # Authenticated SePay calls with generated bodies: recorded, or refused as malformed (400).
            response = case.call(headers={**HEADERS, "Authorization": "Apikey test-key"})
            assert response.status_code in (200, 400), response.text
            case.validate_response(response, checks=[c for c in CHECKS if c is not positive_data_acceptance])
            return
        else:
            response = case.call(headers=HEADERS)
            assert response.status_code in (200, 422), response.text  # 422: a query parameter out of range
        case.validate_response(response, checks=CHECKS)

    run()
