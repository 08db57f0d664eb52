"""Seller API: only the owner and the helpers the owner delegated to may change a shop (audited)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from taybac.accounts.services import grant_delegation, revoke_delegation
from taybac.catalog.models import Variant
from taybac.core.models import AuditEntry
from tests.api.conftest import assert_error
from tests.factories import make_user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def patch(client: Client, url: str, body: dict):
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def helper(catalog):
    """A helper with a delegation from the honey shop's producer only."""
    user = make_user(role="helper", full_name="Nguyễn Thị Hoa")
    grant_delegation(producer=catalog.honey_shop.producer, delegate=user, granted_by=catalog.honey_shop.producer.owner)
    return user


def test_anonymous_gets_401_envelope(api_client, catalog):
    variant = catalog.honey.variants.first()
    assert_error(api_client.get("/api/v1/seller/producers"), 401, "unauthenticated")
    assert_error(patch(api_client, f"/api/v1/seller/variants/{variant.pk}", {"quantity": 1}), 401, "unauthenticated")


def test_helper_lists_only_delegating_producers(catalog, helper):
    body = signed_in(helper).get("/api/v1/seller/producers").json()
    assert [(p["name"], p["on_behalf"], p["shop_slug"]) for p in body] == [
        ("Hộ Giàng A Páo", True, catalog.honey_shop.slug)
    ]


def test_helper_updates_delegated_stock_and_is_audited(catalog, helper):
    variant = catalog.honey.variants.order_by("id").first()
    response = patch(signed_in(helper), f"/api/v1/seller/variants/{variant.pk}", {"quantity": 30, "price": 360_000})
    assert response.status_code == 200, response.content
    assert (response.json()["stock"], response.json()["price"]) == (30, 360_000)
    entry = AuditEntry.objects.get(action="variant.updated")
    assert (entry.actor_id, entry.on_behalf_of_id) == (helper.pk, catalog.honey_shop.producer.owner_id)


def test_helper_refused_on_shop_that_did_not_delegate(catalog, helper):
    tea_variant = catalog.tea.variants.get()
    client = signed_in(helper)
    assert_error(patch(client, f"/api/v1/seller/variants/{tea_variant.pk}", {"quantity": 0}), 403, "forbidden")
    response = client.post(
        f"/api/v1/seller/shops/{catalog.tea_shop.slug}/products",
        json.dumps({"name": "Chè giả", "category": "che", "price": 1000, "quantity": 1, "weight_grams": 100}),
        content_type="application/json",
    )
    assert_error(response, 403, "forbidden")
    tea_variant.refresh_from_db()
    assert tea_variant.quantity == 12 and not catalog.tea_shop.products.filter(name="Chè giả").exists()
    assert not AuditEntry.objects.filter(actor=helper).exists()


def test_revoked_delegation_stops_api_access(catalog, helper):
    delegation = catalog.honey_shop.producer.delegations.get()
    revoke_delegation(delegation=delegation, revoked_by=catalog.honey_shop.producer.owner)
    variant = catalog.honey.variants.first()
    assert_error(patch(signed_in(helper), f"/api/v1/seller/variants/{variant.pk}", {"quantity": 1}), 403, "forbidden")


def test_owner_creates_product_and_bad_input_is_4xx(catalog):
    owner = catalog.fruit_shop.producer.owner
    client = signed_in(owner)
    url = f"/api/v1/seller/shops/{catalog.fruit_shop.slug}/products"
    body = {
        "name": "Xoài Yên Châu",
        "category": "trai-cay",
        "price": 55_000,
        "quantity": 40,
        "weight_grams": 1000,
        "unit": "kg",
        "season_months": [5, 6],
    }
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["name"] == "Xoài Yên Châu" and created["season_months"] == [5, 6]
    assert created["variants"][0]["stock"] == 40 and len(created["variants"][0]["gtin"]) == 14
    assert_error(
        client.post(url, json.dumps({**body, "season_months": [13]}), content_type="application/json"),
        422,
        "validation_error",
    )
    assert_error(client.post(url, json.dumps({**body, "name": "   "}), content_type="application/json"), 400, "invalid")
    assert_error(
        client.post(url, json.dumps({**body, "price": -1}), content_type="application/json"), 422, "validation_error"
    )
    assert_error(
        client.post(url, json.dumps({**body, "category": "khong-co"}), content_type="application/json"),
        400,
        "unknown_category",
    )
    assert_error(client.post(url, "not json", content_type="application/json"), 400, "bad_request")
    assert_error(client.post(url, json.dumps([body]), content_type="application/json"), 422, "validation_error")
    assert_error(
        client.post(url, json.dumps({**body, "colour": "red"}), content_type="application/json"),
        422,
        "validation_error",
    )
    variant_url = f"/api/v1/seller/variants/{created['variants'][0]['id']}"
    assert_error(patch(client, variant_url, {}), 422, "validation_error")
    assert_error(patch(client, variant_url, {"quantity": True}), 422, "validation_error")
    assert_error(
        client.post(url, json.dumps({**body, "season_months": [True]}), content_type="application/json"),
        422,
        "validation_error",
    )
    assert_error(patch(client, variant_url, [None, None]), 422, "validation_error")


def test_stock_below_reserved_is_refused(catalog):
    variant = catalog.honey.variants.order_by("id").first()
    Variant.objects.filter(pk=variant.pk).update(allocated=5)
    response = patch(
        signed_in(catalog.honey_shop.producer.owner), f"/api/v1/seller/variants/{variant.pk}", {"quantity": 2}
    )
    error = assert_error(response, 400, "invalid")
    assert error["field"] == "quantity"


def test_own_gtin_kept_and_wrong_check_digit_refused(catalog):
    client = signed_in(catalog.fruit_shop.producer.owner)
    url = f"/api/v1/seller/shops/{catalog.fruit_shop.slug}/products"
    body = {"name": "Xoài có mã", "category": "trai-cay", "price": 55_000, "quantity": 4, "weight_grams": 1000}
    error = assert_error(
        client.post(url, json.dumps({**body, "gtin": "8934563138166"}), content_type="application/json"), 400, "invalid"
    )
    assert error["field"] == "gtin"
    created = client.post(url, json.dumps({**body, "gtin": "8934563138165"}), content_type="application/json")
    assert created.json()["variants"][0]["gtin"] == "08934563138165"


def test_numbers_in_seller_bodies_must_be_json_integers(catalog):
    """`"2"` and `true` were taken as numbers by pydantic's lax mode; a seller app bug must not change stock or
    prices."""
    client = signed_in(catalog.honey_shop.producer.owner)
    variant = catalog.honey.variants.order_by("id").first()
    before = (variant.price, variant.quantity)
    for patch_body in ({"quantity": "30"}, {"price": "360000"}, {"quantity": 30.5}):
        error = assert_error(
            patch(client, f"/api/v1/seller/variants/{variant.pk}", patch_body), 422, "validation_error"
        )
        assert "integer" in error["message"], patch_body
    variant.refresh_from_db()
    assert (variant.price, variant.quantity) == before
    url = f"/api/v1/seller/shops/{catalog.honey_shop.slug}/products"
    body = {"name": "Mật ong hoa rừng", "category": "mat-ong", "price": 300_000, "quantity": 5, "weight_grams": 500}
    for change in ({"price": "300000"}, {"quantity": "5"}, {"weight_grams": "500"}, {"season_months": ["5"]}):
        response = client.post(url, json.dumps({**body, **change}), content_type="application/json")
        assert "integer" in assert_error(response, 422, "validation_error")["message"], change
    assert not catalog.honey_shop.products.filter(name="Mật ong hoa rừng").exists()


def test_closed_shop_owner_creates_product_and_gets_it_back(catalog):
    """A closed shop's product is not public, yet the seller API answers with what it stored (was a 500)."""
    catalog.fruit_shop.is_active = False
    catalog.fruit_shop.save(update_fields=["is_active"])
    client = signed_in(catalog.fruit_shop.producer.owner)
    body = {"name": "Mận hậu", "category": "trai-cay", "price": 30_000, "quantity": 5, "weight_grams": 1000}
    response = client.post(
        f"/api/v1/seller/shops/{catalog.fruit_shop.slug}/products", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Mận hậu" and response.json()["variants"][0]["stock"] == 5
    assert client.get(f"/api/v1/products/{response.json()['id']}").status_code == 404
