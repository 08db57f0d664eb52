"""The carriers' status webhook (web/views_tracking.py): the secret in the URL, a bounded body, precise errors for
the carrier, silence for probers, unknown parcels acknowledged, retries harmless."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from taybac.orders.models import Status
from tests.fulfilment.tracking_world import booked, packed_order
from tests.logistics.fixtures.transport import fixture

pytestmark = pytest.mark.django_db
GHN_SECRET = "ghn-webhook-secret-0123456789abcdef"
GHTK_SECRET = "ghtk-webhook-secret-0123456789abcdef"


@pytest.fixture(autouse=True)
def carriers(settings):
    settings.TAYBAC_GHN_TOKEN, settings.TAYBAC_GHN_SHOP_ID = "ghn-api-token", "885"
    settings.TAYBAC_GHN_WEBHOOK_TOKEN = GHN_SECRET
    settings.TAYBAC_GHTK_TOKEN, settings.TAYBAC_GHTK_WEBHOOK_TOKEN = "ghtk-api-token", GHTK_SECRET
    cache.clear()
    yield
    cache.clear()


def post(client, carrier: str, secret: str, body: bytes, **extra):
    return client.post(f"/webhooks/van-chuyen/{carrier}/{secret}/", body, content_type="application/json", **extra)


def ghn_body(**changes) -> bytes:
    payload = json.loads(fixture("ghn", "webhook_switch_status.json"))
    payload.update(changes)
    return json.dumps(payload).encode()


def test_ghn_webhook_moves_the_order_and_a_retry_changes_nothing(client):
    shop_order = packed_order()
    shipment = booked(shop_order, code="LBK6PK")
    response = post(client, "ghn", GHN_SECRET, ghn_body(Status="picked", Time="2025-12-08T00:10:00.000Z"))
    assert response.status_code == 200 and response.json() == {"ok": True, "new_events": 1}
    shop_order.refresh_from_db()
    assert shop_order.status == Status.SHIPPED
    body = fixture("ghn", "webhook_switch_status.json")  # delivering, as the carrier documents it
    assert post(client, "ghn", GHN_SECRET, body).json() == {"ok": True, "new_events": 1}
    assert post(client, "ghn", GHN_SECRET, body).json() == {"ok": True, "new_events": 0}  # GHN retries
    shipment.refresh_from_db()
    assert shipment.status == "out_for_delivery" and shipment.events.count() == 2
    [event] = shipment.events.filter(status="out_for_delivery")
    assert (event.carrier_status, event.description, event.source) == ("delivering", "Đang giao hàng", "webhook")


def test_ghtk_webhook_delivers_a_cash_on_delivery_order(client):
    shop_order = packed_order(payment_method="cod")
    booked(shop_order, carrier="ghtk", code="S1.A1.17373471", cod=shop_order.total)
    response = post(client, "ghtk", GHTK_SECRET, fixture("ghtk", "webhook.json"))  # status_id 5: delivered
    assert response.status_code == 200 and response.json()["new_events"] == 1
    shop_order.refresh_from_db()
    assert shop_order.status == Status.DELIVERED
    assert shop_order.payments.get().amount == shop_order.total


@pytest.mark.parametrize(
    ("carrier", "secret", "status"),
    [
        ("ghn", "wrong-secret", 403),
        ("ghn", GHTK_SECRET, 403),  # another carrier's secret
        ("ghtk", GHN_SECRET, 403),
        ("hub", GHN_SECRET, 404),  # the hub network's post offices record its events themselves
        ("vnpost-x", GHN_SECRET, 404),
        ("ghn", "x" * 201, 404),
    ],
)
def test_wrong_secret_or_carrier_is_refused_without_detail_and_stores_nothing(client, carrier, secret, status):
    shipment = booked(packed_order(with_lot=False), code="LBK6PK")
    response = post(client, carrier, secret, ghn_body(Status="picked"))
    assert response.status_code == status and response.content == b""
    assert shipment.events.count() == 0


def test_an_unconfigured_carrier_is_not_found(client, settings):
    settings.TAYBAC_GHN_TOKEN = ""
    assert post(client, "ghn", GHN_SECRET, ghn_body()).status_code == 404


def test_another_shops_ghn_payload_is_refused(client):
    assert post(client, "ghn", GHN_SECRET, ghn_body(ShopID=999)).status_code == 403


def test_only_post_is_accepted(client):
    assert client.get(f"/webhooks/van-chuyen/ghn/{GHN_SECRET}/").status_code == 405


def test_oversize_body_is_refused_before_parsing(client):
    shipment = booked(packed_order(with_lot=False), code="LBK6PK")
    padded = ghn_body(Description="x" * 70_000)
    response = post(client, "ghn", GHN_SECRET, padded)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert shipment.events.count() == 0


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b"{not json", "không phải JSON"),
        (b"[1, 2]", ""),
        (json.dumps({"ShopID": 885, "Type": "switch_status", "OrderCode": "LBK6PK"}).encode(), "Status"),
        (None, "trạng thái"),
    ],
)
def test_bad_payloads_get_a_precise_400(client, body, what):
    body = ghn_body(Status="flying") if body is None else body
    response = post(client, "ghn", GHN_SECRET, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "carrier_bad_answer" and what in error["message"]


def test_an_unknown_tracking_code_is_acknowledged_and_logged(client, caplog):
    response = post(client, "ghn", GHN_SECRET, ghn_body(OrderCode="NOTOURS"))
    assert response.status_code == 200 and response.json() == {"ok": True, "new_events": 0}
    assert "unknown tracking code 'NOTOURS'" in caplog.text
    assert GHN_SECRET not in caplog.text


def test_weight_updates_carry_no_status(client):
    shipment = booked(packed_order(with_lot=False), code="LBK6PK")
    response = post(client, "ghn", GHN_SECRET, fixture("ghn", "webhook_update_weight.json"))
    assert response.status_code == 200 and shipment.events.count() == 0


def test_too_many_requests_from_one_network_are_slowed_down(client, monkeypatch):
    from taybac.web import views_tracking

    monkeypatch.setattr(views_tracking, "PER_MINUTE", 3)
    answers = [post(client, "ghn", "wrong", b"{}").status_code for _ in range(5)]
    assert answers == [403, 403, 403, 429, 429]
    limited = post(client, "ghn", GHN_SECRET, ghn_body())
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    assert post(client, "ghtk", "wrong", b"{}").status_code == 403  # counted per carrier
