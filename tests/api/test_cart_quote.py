"""POST /api/v1/cart/quote: the cart split by shop and priced, with each line's availability; the quote agrees
with what checkout then charges."""

from __future__ import annotations

import datetime
import json

from tests.api.conftest import assert_error
from tests.api.test_checkout import cart, checkout  # noqa: F401  (fixture)


def quote(client, body: dict):
    return client.post("/api/v1/cart/quote", json.dumps(body), content_type="application/json")


def test_quote_matches_the_order_checkout_places(api_client, cart):
    body = quote(api_client, {"lines": cart["lines"], "province_code": 1}).json()
    assert body["can_checkout"] is True and len(body["shops"]) == 2
    assert all(line["problem"] is None for shop in body["shops"] for line in shop["lines"])
    order = checkout(api_client, cart).json()
    assert body["total"] == order["total"]
    assert sorted((s["items_total"], s["shipping_fee"]) for s in body["shops"]) == sorted(
        (so["items_total"], so["shipping_fee"]) for so in order["shop_orders"]
    )


def test_without_a_province_shipping_is_unpriced(api_client, cart):
    body = quote(api_client, {"lines": cart["lines"]}).json()
    assert body["total"] is None and all(s["shipping_fee"] is None and s["total"] is None for s in body["shops"])
    assert body["items_total"] == sum(s["items_total"] for s in body["shops"])


def test_availability_per_line(api_client, catalog):
    variant = catalog.honey.variants.order_by("id").first()
    too_many = variant.quantity - variant.allocated + 1
    body = quote(api_client, {"lines": [{"variant_id": variant.pk, "quantity": too_many}]}).json()
    assert body["shops"][0]["lines"][0]["problem"] == "out_of_stock" and body["can_checkout"] is False
    product = catalog.honey
    product.preorder_allowed, product.next_harvest = True, datetime.date.today() + datetime.timedelta(days=30)
    product.save()
    variant.harvest_quota = too_many
    variant.save()
    body = quote(api_client, {"lines": [{"variant_id": variant.pk, "quantity": too_many}]}).json()
    assert body["shops"][0]["lines"][0]["problem"] == "preorder" and body["can_checkout"] is True
    variant.is_active = False
    variant.save()
    body = quote(api_client, {"lines": [{"variant_id": variant.pk, "quantity": 1}]}).json()
    assert body["shops"][0]["lines"][0]["problem"] == "not_on_sale"


def test_bad_quotes_are_clear_4xx(api_client, cart):
    missing = assert_error(quote(api_client, {"lines": [{"variant_id": 999999, "quantity": 1}]}), 400, "invalid")
    assert "999999" in missing["message"]
    assert_error(quote(api_client, {"lines": cart["lines"], "province_code": 999}), 400, "invalid")
    assert_error(quote(api_client, {"lines": []}), 422, "validation_error")
    assert_error(quote(api_client, {"lines": [{"variant_id": 1, "quantity": 0}]}), 422, "validation_error")
    assert_error(quote(api_client, {"lines": cart["lines"], "extra": 1}), 422, "validation_error")


def test_quote_numbers_must_be_json_integers(api_client, cart):
    variant = cart["lines"][0]["variant_id"]
    for body in (
        {"lines": [{"variant_id": variant, "quantity": True}]},
        {"lines": [{"variant_id": variant, "quantity": "2"}]},
        {"lines": [{"variant_id": str(variant), "quantity": 1}]},
        {"lines": cart["lines"], "province_code": "1"},
    ):
        error = assert_error(quote(api_client, body), 422, "validation_error")
        assert "integer" in error["message"], body
