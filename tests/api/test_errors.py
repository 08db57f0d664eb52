"""The error envelope and the OpenAPI document, independent of any one domain."""
from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from taybac.api.main import api
from taybac.core.errors import DomainError

from tests.api.conftest import assert_error


@pytest.mark.parametrize("path", ["/api/v1/khong-co", "/api/v1/products/1/extra", "/api/v1/shops/",
                                  "/api/v1/regions/provinces/15/communes/x"])
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
    error = assert_error(api_client.get("/api/v1/products", {"page": 0, "page_size": 1000, "province": "x"}),
                         422, "validation_error")
    assert {d["field"] for d in error["details"]} == {"page", "page_size", "province"}
    assert all(d["location"] == "query" for d in error["details"])


@pytest.mark.parametrize("code,status", [("bad_price", 400), ("invalid", 400), ("forbidden", 403)])
def test_domain_error_maps_to_4xx_with_code_message_and_field(db, code, status):
    """A DomainError raised under any endpoint keeps its code, message and field (HTTP path: test_search)."""
    request = RequestFactory().get("/api/v1/x")
    error = DomainError("Giá phải lớn hơn 0 đồng.", field="price", code=code)
    response = api.on_exception(request, error)
    assert response.status_code == status
    assert json.loads(response.content) == {"error": {"code": code, "message": "Giá phải lớn hơn 0 đồng.",
                                                      "field": "price"}}


def test_openapi_document_and_docs(api_client, db):
    response = api_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/regions/provinces", "/api/v1/regions/provinces/{code}", "/api/v1/regions/provinces/lookup",
            "/api/v1/regions/provinces/{code}/communes", "/api/v1/shops", "/api/v1/shops/{slug}",
            "/api/v1/products", "/api/v1/products/{id}", "/api/v1/search",
            "/api/v1/search/suggest", "/api/v1/seller/producers", "/api/v1/seller/variants/{id}",
            "/api/v1/seller/shops/{slug}/products", "/api/v1/checkout", "/api/v1/cart/quote", "/api/v1/orders/{code}",
            "/api/v1/payments/notifications/{provider}", "/api/v1/epcis/capture",
            "/api/v1/epcis/events"} == set(doc["paths"])
    operations = [op for path_item in doc["paths"].values() for op in path_item.values()]
    for operation in operations:
        assert {"400", "404", "422"} <= set(operation["responses"])
        assert {"200", "201"} & set(operation["responses"])
        assert operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert len({op["operationId"] for op in operations}) == len(operations) == 19
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
