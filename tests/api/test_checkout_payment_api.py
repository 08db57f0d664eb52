"""The API side of issue 12's checkout: a quote for collection at a post office (its address and hours, fees to
its province), the quoted total held to at checkout (`expected_total`, 409 otherwise), and one payment for the
whole checkout in the order (memo = the order's code, amount = everything due)."""

from __future__ import annotations

import json

import pytest

from taybac.orders.models import Order
from taybac.payments.vietqr import parse_payload
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from tests.api.conftest import assert_error
from tests.api.test_checkout import cart, checkout  # noqa: F401  (fixture)
from tests.web.orders.test_query_counts import PER_SHOP_QUOTE


def quote(client, body: dict):
    return client.post("/api/v1/cart/quote", json.dumps(body), content_type="application/json")


@pytest.fixture
def post_office(db) -> PickupPoint:
    return PickupPoint.objects.create(
        code="BD-HK",
        name="Bưu điện Hoàn Kiếm",
        address=create_address(province_code=1, commune_code=70, street="75 Đinh Tiên Hoàng"),
        opening_hours="7:00–19:00",
    )


def test_quote_for_a_post_office_names_it_and_prices_to_its_province(api_client, cart, post_office):
    home = quote(api_client, {"lines": cart["lines"], "province_code": 1, "commune_code": 70}).json()
    office = quote(api_client, {"lines": cart["lines"], "pickup_point": "BD-HK"}).json()
    assert office["pickup_point"] == {
        "code": "BD-HK",
        "name": "Bưu điện Hoàn Kiếm",
        "address": "75 Đinh Tiên Hoàng, Phường Hoàn Kiếm",
        "opening_hours": "7:00–19:00",
    }
    assert office["province_code"] == home["province_code"] == 1 and home["pickup_point"] is None
    assert office["total"] == home["total"] == office["items_total"] + office["shipping_total"]
    assert office["shipping_total"] == sum(s["shipping_fee"] for s in office["shops"])
    body = {**cart, "delivery_address": None, "pickup_point": "BD-HK", "expected_total": office["total"]}
    del body["delivery_address"]
    placed = checkout(api_client, body)
    assert placed.status_code == 201, placed.content
    assert placed.json()["total"] == office["total"] and placed.json()["pickup_point"]["name"] == "Bưu điện Hoàn Kiếm"


def test_quote_refuses_an_unknown_post_office_or_one_outside_the_province(api_client, cart, post_office):
    assert_error(quote(api_client, {"lines": cart["lines"], "pickup_point": "NOPE"}), 404, "not_found")
    error = assert_error(
        quote(api_client, {"lines": cart["lines"], "pickup_point": "BD-HK", "province_code": 15}), 400, "invalid"
    )
    assert error["field"] == "pickup_point"


def test_checkout_refuses_another_total_than_quoted(api_client, cart):
    total = quote(api_client, {"lines": cart["lines"], "province_code": 1, "commune_code": 70}).json()["total"]
    error = assert_error(checkout(api_client, {**cart, "expected_total": total - 1}), 409, "conflict")
    assert error["field"] == "tong" and not Order.objects.exists()
    assert checkout(api_client, {**cart, "expected_total": total}, key="k-2").status_code == 201


def test_one_payment_for_the_whole_checkout(api_client, cart):
    body = checkout(api_client, cart).json()
    order = Order.objects.get()
    payment = body["payment"]
    assert payment["due"] == body["total"] and payment["paid"] == 0 and payment["credit"] == 0
    transfer = payment["transfer"]
    assert transfer["memo"] == order.code and transfer["amount"] == body["total"]
    decoded = parse_payload(transfer["vietqr"])
    assert decoded["amount"] == body["total"] and decoded["purpose"] == order.code
    tracked = api_client.get(f"/api/v1/orders/{order.code}", {"phone": "0912345678"}).json()
    assert tracked["payment"] == payment and tracked["pickup_point"] is None


def test_cash_checkout_has_no_transfer(api_client, cart):
    payment = checkout(api_client, {**cart, "payment_method": "cod"}).json()["payment"]
    assert payment["transfer"] is None and payment["due"] == 0


def test_a_quote_for_a_post_office_reads_a_fixed_number_of_queries(api_client, cart, post_office):
    """Pinned as quote_cart is (tests/api/test_query_counts.py): the post office with its address, commune and
    province in one query, then every variant of the cart at once, then each of the two shop orders priced on
    the hub's network (PER_SHOP_QUOTE queries each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert quote(api_client, {"lines": cart["lines"], "pickup_point": "BD-HK"}).status_code == 200
    assert len(ctx.captured_queries) == 2 + 2 * PER_SHOP_QUOTE
