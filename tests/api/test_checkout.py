"""Checkout and order tracking through the API: split per shop, idempotent, VietQR per shop order."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils.crypto import get_random_string

from taybac.catalog.models import Variant
from taybac.orders.models import Order
from tests.api.conftest import assert_error


def checkout(client, body: dict, key: str | None = "k-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/v1/checkout", json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def cart(catalog) -> dict:
    honey = catalog.honey.variants.order_by("id").first()
    tea = catalog.tea.variants.get()
    return {
        "lines": [{"variant_id": honey.pk, "quantity": 2}, {"variant_id": tea.pk, "quantity": 1}],
        "contact": {"name": "Trần Thị Lan", "phone": "0912 345 678"},
        "delivery_address": {"province_code": 1, "commune_code": 70, "street": "12 Hàng Bạc"},
        "payment_method": "vietqr",
    }


def test_checkout_two_shops_two_qr_codes(api_client, cart):
    response = checkout(api_client, cart)
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["shop_orders"]) == 2
    assert body["total"] == sum(so["total"] for so in body["shop_orders"])
    for so in body["shop_orders"]:
        assert so["status"] == "awaiting_payment" and so["payment"]["due"] == so["total"]
        payload = so["payment"]["vietqr"]
        assert payload.startswith("000201010212") and "A000000727" in payload and "5303704" in payload
        assert f"54{len(str(so['total'])):02d}{so['total']}" in payload and so["code"] in payload
    assert len({so["payment"]["vietqr"] for so in body["shop_orders"]}) == 2


def test_replay_returns_the_same_order(api_client, cart):
    first = checkout(api_client, cart).json()
    again = checkout(api_client, cart)
    assert again.status_code == 200 and again.json()["code"] == first["code"]
    assert Order.objects.count() == 1
    assert Variant.objects.get(pk=cart["lines"][0]["variant_id"]).allocated == 2


def test_track_by_code_and_phone(api_client, cart):
    code = checkout(api_client, cart).json()["code"]
    tracked = api_client.get(f"/api/v1/orders/{code}", {"phone": "+84912345678"}).json()
    assert tracked["code"] == code
    assert tracked["delivery"] == {"province_code": 1, "commune_code": 70, "street": "12 Hàng Bạc"}
    assert tracked["pickup_point"] is None
    assert_error(api_client.get(f"/api/v1/orders/{code}", {"phone": "0912000000"}), 404, "not_found")
    assert_error(api_client.get(f"/api/v1/orders/{code}", {"phone": "abc"}), 404, "not_found")


def test_cod_has_no_qr(api_client, cart):
    body = checkout(api_client, {**cart, "payment_method": "cod"}).json()
    assert all(so["status"] == "confirmed" and so["payment"]["vietqr"] is None for so in body["shop_orders"])


@pytest.mark.parametrize(
    "change, status, code",
    [
        ({"lines": []}, 422, "validation_error"),
        ({"payment_method": "bitcoin"}, 422, "validation_error"),
        ({"contact": {"name": "Lan", "phone": "01231234567"}}, 400, "invalid"),
        ({"delivery_address": {"province_code": 15, "commune_code": 70, "street": "x"}}, 400, "invalid"),
        ({"delivery_address": None}, 400, "invalid"),
        ({"lines": [{"variant_id": 1, "quantity": 1000}]}, 422, "validation_error"),
    ],
)
def test_bad_checkouts_are_4xx(api_client, cart, change, status, code):
    assert_error(checkout(api_client, {**cart, **change}), status, code)
    assert not Order.objects.exists()


def test_missing_idempotency_key_is_422(api_client, cart):
    assert_error(checkout(api_client, cart, key=None), 422, "validation_error")


def test_out_of_stock_is_400_and_nothing_reserved(api_client, cart):
    cart["lines"][0]["quantity"] = 13
    assert_error(checkout(api_client, cart), 400, "out_of_stock")
    assert Variant.objects.filter(allocated__gt=0).count() == 0


def test_refused_or_replayed_checkouts_leave_no_stray_address(api_client, cart):
    from taybac.regions.models import Address

    checkout(api_client, cart)
    checkout(api_client, cart)
    cart["lines"][0]["quantity"] = 13
    checkout(api_client, cart, key="k-2")
    assert Address.objects.count() == 1


def test_another_callers_key_never_returns_their_order(api_client, cart):
    lan = checkout(api_client, cart, key="shared").json()
    mai_body = {**cart, "lines": [cart["lines"][1]], "contact": {"name": "Lò Thị Mai", "phone": "0987654321"}}
    mai = checkout(Client(), mai_body, key="shared")  # Mai sends Lan's key
    assert mai.status_code == 201, mai.content
    text = mai.content.decode()
    assert mai.json()["code"] != lan["code"] and len(mai.json()["shop_orders"]) == 1
    assert lan["code"] not in text and all(so["code"] not in text for so in lan["shop_orders"])
    assert Order.objects.count() == 2


def test_a_signed_in_caller_sending_a_guests_exact_request_gets_a_new_order(api_client, cart):
    from tests.factories import make_user

    lan = checkout(api_client, cart, key="shared").json()
    other = Client()
    other.force_login(make_user())
    response = checkout(other, cart, key="shared")
    assert response.status_code == 201 and response.json()["code"] != lan["code"]
    assert lan["code"] not in response.content.decode()


def test_a_signed_in_session_without_its_csrf_token_places_nothing(cart):
    """A page on another site can make the browser send the session cookie, but not the CSRF token."""
    from tests.factories import make_user

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user())
    assert_error(checkout(browser, cart), 403, "forbidden")
    assert Order.objects.count() == 0
    assert Variant.objects.get(pk=cart["lines"][0]["variant_id"]).allocated == 0
    token = get_random_string(32)  # what a page of ours sets as the csrftoken cookie
    browser.cookies["csrftoken"] = token
    response = browser.post(
        "/api/v1/checkout",
        json.dumps(cart),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content


def test_same_key_with_another_body_is_422(api_client, cart):
    first = checkout(api_client, cart).json()
    cart["lines"][0]["quantity"] = 1
    error = assert_error(checkout(api_client, cart), 422, "idempotency_key_reused")
    assert error["field"] == "idempotency_key" and "different request" in error["message"]
    assert first["code"] not in json.dumps(error) and Order.objects.count() == 1
    assert Variant.objects.get(pk=cart["lines"][0]["variant_id"]).allocated == 2


def test_same_request_in_another_spelling_is_a_replay(api_client, cart):
    first = checkout(api_client, cart).json()
    respelled = {
        **cart,
        "contact": {"phone": "+84912345678", "name": "Trần Thị Lan ", "email": ""},
        "lines": list(reversed(cart["lines"])),
    }
    again = checkout(api_client, respelled)
    assert again.status_code == 200 and again.json()["code"] == first["code"]


@pytest.mark.django_db(transaction=True)
def test_racing_copies_of_one_request_place_one_order(catalog):
    honey = catalog.honey.variants.order_by("id").first()
    body = {
        "lines": [{"variant_id": honey.pk, "quantity": 2}],
        "contact": {"name": "Lan", "phone": "0912345678"},
        "delivery_address": {"province_code": 1, "commune_code": 70, "street": "12 Hàng Bạc"},
        "payment_method": "cod",
    }
    answers: list[tuple[int, str]] = []
    barrier = threading.Barrier(6)

    def tap() -> None:
        try:
            barrier.wait()
            response = checkout(Client(), body, key="double-tap")
            answers.append((response.status_code, response.json().get("code", response.content.decode())))
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(status for status, _ in answers) == [200] * 5 + [201], answers
    assert len({code for _, code in answers}) == 1 and Order.objects.count() == 1
    assert Variant.objects.get(pk=honey.pk).allocated == 2


@pytest.mark.parametrize(
    "change",
    [
        {"lines": [{"variant_id": 1, "quantity": True}]},
        {"lines": [{"variant_id": 1, "quantity": "2"}]},
        {"lines": [{"variant_id": 1, "quantity": 2.5}]},
        {"lines": [{"variant_id": "1", "quantity": 1}]},
        {"delivery_address": {"province_code": "1", "commune_code": 70, "street": "12 Hàng Bạc"}},
        {"delivery_address": {"province_code": 1, "commune_code": True, "street": "12 Hàng Bạc"}},
    ],
)
def test_numbers_must_be_json_integers(api_client, cart, change):
    error = assert_error(checkout(api_client, {**cart, **change}), 422, "validation_error")
    assert "integer" in error["message"]
    assert not Order.objects.exists()


def test_an_address_and_a_pickup_point_together_are_refused(api_client, cart):
    error = assert_error(checkout(api_client, {**cart, "pickup_point": "BD-SAPA"}), 422, "validation_error")
    assert "choose either a delivery address or a pickup point" in error["message"]
    assert not Order.objects.exists()


def test_a_closed_shops_variant_cannot_be_bought_or_quoted(api_client, cart, catalog):
    from taybac.catalog.models import Shop

    Shop.objects.filter(pk=catalog.tea_shop.pk).update(is_active=False)
    error = assert_error(checkout(api_client, cart), 400, "invalid")
    assert error["field"] == "lines" and not Order.objects.exists()
    assert Variant.objects.get(pk=cart["lines"][0]["variant_id"]).allocated == 0
    quote = api_client.post(
        "/api/v1/cart/quote", json.dumps({"lines": cart["lines"]}), content_type="application/json"
    ).json()
    problems = {line["variant_id"]: line["problem"] for shop in quote["shops"] for line in shop["lines"]}
    assert problems == {cart["lines"][0]["variant_id"]: None, cart["lines"][1]["variant_id"]: "not_on_sale"}
    assert quote["can_checkout"] is False


def test_collect_at_a_pickup_point_by_its_code(api_client, cart):
    from taybac.regions.models import PickupPoint
    from taybac.regions.services import create_address

    point = PickupPoint.objects.create(
        code="BD-70",
        name="Bưu điện Hoàn Kiếm",
        address=create_address(province_code=1, commune_code=70, street="1 Hàng Bạc"),
    )
    body = {k: v for k, v in cart.items() if k != "delivery_address"}
    response = checkout(api_client, {**body, "pickup_point": "BD-70"})
    assert response.status_code == 201, response.content
    assert Order.objects.get(code=response.json()["code"]).pickup_point == point
    tracked = api_client.get(f"/api/v1/orders/{response.json()['code']}", {"phone": "0912345678"}).json()
    assert tracked["delivery"] is None
    assert tracked["pickup_point"] == {
        "code": "BD-70",
        "name": "Bưu điện Hoàn Kiếm",
        "address": f"1 Hàng Bạc, {point.address.commune.name}",
        "opening_hours": point.opening_hours,
    }
    point.is_active = False
    point.save()
    for code in ("BD-70", "BD-NOWHERE"):
        error = assert_error(checkout(api_client, {**body, "pickup_point": code}, key=f"k-{code}"), 404, "not_found")
        assert code in error["message"] and error["field"] == "pickup_point"
    assert Order.objects.count() == 1
