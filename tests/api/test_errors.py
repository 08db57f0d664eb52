"""The error envelope and the OpenAPI document, independent of any one domain."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.test import Client, RequestFactory

from taybac.api.errors import bad_request, csrf_failure, page_not_found, permission_denied
from taybac.api.main import api
from taybac.core.errors import DomainError
from tests.api.conftest import assert_error


@pytest.mark.parametrize(
    "path",
    ["/api/v1/khong-co", "/api/v1/products/1/extra", "/api/v1/shops/", "/api/v1/regions/provinces/15/communes/x"],
)
def test_unknown_routes_are_json_404(api_client, db, path):
    error = assert_error(api_client.get(path), 404, "not_found")
    assert path in error["message"]


def test_api_root_points_to_docs(api_client, db):
    body = api_client.get("/api/v1/").json()
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
    assert body["docs"] == "http://testserver/api/v1/docs"
    assert api_client.get(body["openapi"]).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_wrong_method_is_json_405_with_allow(api_client, db, method):
    response = getattr(api_client, method)("/api/v1/regions/provinces")
    error = assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET" and "GET" in error["message"]


def test_validation_error_lists_every_bad_field(api_client, db):
    error = assert_error(
        api_client.get("/api/v1/products", {"page": 0, "page_size": 1000, "province": "x"}), 422, "validation_error"
    )
    assert {d["field"] for d in error["details"]} == {"page", "page_size", "province"}
    assert all(d["location"] == "query" for d in error["details"])


@pytest.mark.parametrize("code,status", [("bad_price", 400), ("invalid", 400), ("forbidden", 403)])
def test_domain_error_maps_to_4xx_with_code_message_and_field(db, code, status):
    """A DomainError raised under any endpoint keeps its code, message and field (HTTP path: test_search)."""
    request = RequestFactory().get("/api/v1/x")
    error = DomainError("Giá phải lớn hơn 0 đồng.", field="price", code=code)
    response = api.on_exception(request, error)
    assert response.status_code == status
    assert json.loads(response.content) == {
        "error": {"code": code, "message": "Giá phải lớn hơn 0 đồng.", "field": "price"}
    }


def test_openapi_document_and_docs(api_client, db):
    response = api_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert {
        "/api/v1/regions/provinces",
        "/api/v1/regions/provinces/{code}",
        "/api/v1/regions/provinces/lookup",
        "/api/v1/regions/provinces/{code}/communes",
        "/api/v1/shops",
        "/api/v1/shops/{slug}",
        "/api/v1/products",
        "/api/v1/products/{id}",
        "/api/v1/search",
        "/api/v1/search/suggest",
        "/api/v1/seller/producers",
        "/api/v1/seller/variants/{id}",
        "/api/v1/seller/shops/{slug}/products",
        "/api/v1/checkout",
        "/api/v1/cart/quote",
        "/api/v1/orders/{code}",
        "/api/v1/payments/notifications/{provider}",
        "/api/v1/epcis/capture",
        "/api/v1/epcis/events",
        "/api/v1/products/{id}/reviews",
        "/api/v1/reviews",
        "/api/v1/live-sessions",
        "/api/v1/live-sessions/{id}",
        "/api/v1/sales-windows",
        "/api/v1/sales-windows/{id}",
        "/api/v1/fairs",
        "/api/v1/assistant/messages",
    } == set(doc["paths"])
    operations = [op for path_item in doc["paths"].values() for op in path_item.values()]
    for operation in operations:
        assert {"400", "404", "422"} <= set(operation["responses"])
        assert {"200", "201"} & set(operation["responses"])
        assert operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert len({op["operationId"] for op in operations}) == len(operations) == 27
    assert api_client.get("/api/v1/docs").status_code == 200


def test_a_bug_is_logged_and_answered_as_json_500(api_client, db, monkeypatch, caplog):
    """Schemathesis makes sure this does not happen; if it does, clients still get the envelope."""
    from taybac.api import regions

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(regions.selectors, "province_list", broken)
    with caplog.at_level("ERROR", logger="django.request"):
        response = api_client.get("/api/v1/regions/provinces")
    assert response.status_code == 500 and response.json()["error"]["code"] == "server_error"
    assert "boom" not in response.content.decode()
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


# --- every answer under /api/v1/ is JSON: unknown paths, wrong methods, CSRF, Django's own error handlers ---


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/api/v1/khong-co", "/api/v1/regions/provinces/", "/api/v1/seller/x/y"])
def test_unknown_paths_are_json_404_whatever_the_method_even_with_csrf_enforced(db, method, path):
    """Regression: a POST used to get CsrfViewMiddleware's HTML 403 page, because the catch-all was not exempt."""
    client = Client(enforce_csrf_checks=True)
    error = assert_error(getattr(client, method)(path, "{}", content_type="application/json"), 404, "not_found")
    assert path in error["message"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_root_is_read_only_json_405(db, method):
    response = getattr(Client(enforce_csrf_checks=True), method)("/api/v1/")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_seller_session_without_csrf_token_is_json_403_forbidden(catalog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(catalog.honey_shop.producer.owner)
    variant = catalog.honey.variants.first()
    response = client.patch(f"/api/v1/seller/variants/{variant.pk}", {"price": 1000}, content_type="application/json")
    error = assert_error(response, 403, "forbidden")
    assert "CSRF" in error["message"]
    variant.refresh_from_db()
    assert variant.price == 350_000


def _direct(response, status: int, code: str) -> dict:
    """A handler called directly: the same checks as assert_error, without the test client's .json()."""
    response.json = lambda: json.loads(response.content)
    return assert_error(response, status, code)


def test_csrf_failure_view_is_json_under_the_api_and_a_page_elsewhere(db):
    factory = RequestFactory()
    error = _direct(csrf_failure(factory.post("/api/v1/anything"), reason="CSRF cookie not set."), 403, "forbidden")
    assert "X-CSRFToken" in error["message"]
    page = csrf_failure(factory.post("/ban-hang/"), reason="CSRF cookie not set.")
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")


def test_body_over_the_upload_limit_is_json_413(db, settings, api_client):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    response = api_client.post(
        "/api/v1/cart/quote", json.dumps({"lines": [], "pad": "x" * 5_000}), content_type="application/json"
    )
    error = assert_error(response, 413, "too_large")
    assert "2000" in error["message"]


def test_disallowed_host_is_json_400_under_the_api_and_the_html_page_elsewhere(db):
    client = Client(HTTP_HOST="evil.example")
    assert_error(client.get("/api/v1/regions/provinces"), 400, "bad_request")
    page = client.get("/")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_django_handlers_answer_json_under_the_api(db):
    factory = RequestFactory()
    _direct(page_not_found(factory.get("/api/v1/x"), Http404()), 404, "not_found")
    _direct(permission_denied(factory.get("/api/v1/x"), PermissionDenied()), 403, "forbidden")
    _direct(bad_request(factory.post("/api/v1/x"), RequestDataTooBig()), 413, "too_large")
    assert page_not_found(factory.get("/khong-co/"), Http404())["Content-Type"].startswith("text/html")


def test_a_crash_outside_ninja_is_json_500_under_the_api(db, monkeypatch):
    """The API root is a plain Django view: its 500 goes through handler500."""
    monkeypatch.setattr("taybac.api.urls.api", object())
    response = Client(raise_request_exception=False).get("/api/v1/")
    assert_error(response, 500, "server_error")


def test_every_error_response_says_when_it_happens(api_client, db):
    """Clients (and schemathesis readers) learn the rules OpenAPI cannot express from the descriptions."""
    from http import HTTPStatus

    doc = api_client.get("/api/v1/openapi.json").json()
    for path, path_item in doc["paths"].items():
        for method, operation in path_item.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["description"] != HTTPStatus(int(status)).phrase, (method, path, status)
                    assert response["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert "invalid_price_range" in doc["paths"]["/api/v1/search"]["get"]["responses"]["400"]["description"]
    create = doc["paths"]["/api/v1/seller/shops/{slug}/products"]["post"]["responses"]
    assert "unknown_category" in create["400"]["description"] and "delegation" in create["403"]["description"]


def test_seller_endpoints_without_a_session_are_401_not_a_csrf_403(db):
    """ninja's session auth checked CSRF before noticing there was no session at all."""
    client = Client(enforce_csrf_checks=True)
    assert_error(
        client.patch("/api/v1/seller/variants/1", {"price": 1}, content_type="application/json"), 401, "unauthenticated"
    )
    assert_error(
        client.post("/api/v1/seller/shops/x/products", {}, content_type="application/json"), 401, "unauthenticated"
    )
