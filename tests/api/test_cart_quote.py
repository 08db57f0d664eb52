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
    body = quote(api_client, {"lines": cart["lines"], "province_code": 1, "commune_code": 70}).json()
    assert body["can_checkout"] is True and len(body["shops"]) == 2
    assert all(line["problem"] is None for shop in body["shops"] for line in shop["lines"])
    for shop in body["shops"]:
        assert shop["options"][0]["id"] == "hub:standard" == shop["chosen"]["id"]
        assert shop["shipping_fee"] == shop["chosen"]["fee"] and shop["chosen"]["cod_fee"] == 0
    choices = [{"shop_id": s["shop_id"], "option_id": s["chosen"]["id"]} for s in body["shops"]]
    order = checkout(api_client, {**cart, "shipping_choices": choices, "expected_total": body["total"]}).json()
    assert body["total"] == order["total"]
    assert sorted((s["items_total"], s["shipping_fee"]) for s in body["shops"]) == sorted(
        (so["items_total"], so["shipping_fee"]) for so in order["shop_orders"]
    )
    recorded = {so["shipping"]["carrier"] + ":" + so["shipping"]["service"] for so in order["shop_orders"]}
    assert recorded == {"hub:standard"}
    shown = sorted((s["chosen"]["name"], s["chosen"]["eta_days_max"]) for s in body["shops"])
    assert shown == sorted((so["shipping"]["name"], so["shipping"]["eta_days_max"]) for so in order["shop_orders"])


def test_without_a_commune_or_pickup_point_shipping_is_unpriced(api_client, cart):
    for where in ({}, {"province_code": 1}):
        body = quote(api_client, {"lines": cart["lines"], **where}).json()
        assert body["total"] is None and all(s["shipping_fee"] is None and s["total"] is None for s in body["shops"])
        assert all(s["options"] == [] and s["chosen"] is None for s in body["shops"])
        assert body["items_total"] == sum(s["items_total"] for s in body["shops"])


def test_a_stale_shipping_choice_falls_back_in_the_quote_and_is_refused_at_checkout(api_client, cart):
    shop_id = quote(api_client, {"lines": cart["lines"]}).json()["shops"][0]["shop_id"]
    stale = [{"shop_id": shop_id, "option_id": "ghn:2"}]  # GHN is not configured here
    where = {"province_code": 1, "commune_code": 70}
    body = quote(api_client, {"lines": cart["lines"], **where, "shipping_choices": stale}).json()
    assert body["shops"][0]["chosen"]["id"] == "hub:standard"
    refused = assert_error(checkout(api_client, {**cart, "shipping_choices": stale}), 409, "conflict")
    assert refused["field"] == "shipping_choices" and "không còn" in refused["message"]
    twice = [stale[0], {"shop_id": shop_id, "option_id": "hub:standard"}]
    assert_error(quote(api_client, {"lines": cart["lines"], "shipping_choices": twice}), 422, "validation_error")


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
