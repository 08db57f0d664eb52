"""Bank notifications through the webhook: matched, partial, over, late, unmatched, replayed, forged."""

import json

import pytest
from django.test import Client

from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.codes import display
from taybac.orders.lifecycle import advance
from taybac.orders.models import Status
from taybac.payments.models import BankTransaction, LedgerEntry
from taybac.payments.reconciliation import record_cash_on_delivery
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop
from tests.payments.test_sepay import PAYLOAD

KEY = "s3cret"


@pytest.fixture
def shop_order(db, settings):
    settings.TAYBAC_SEPAY_API_KEY = KEY
    variant = make_product(shop=make_shop(name="Hộ Giàng A Páo"), price=350_000, quantity=10).variants.get()
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="vietqr",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    return order.shop_orders.get()


def notify(memo: str, amount: int, *, tx: int = 1, key: str = KEY, direction: str = "in"):
    body = json.dumps({**PAYLOAD, "id": tx, "content": memo, "transferAmount": amount, "transferType": direction})
    return Client().post(
        "/api/v1/payments/notifications/sepay",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Apikey {key}",
    )


def test_exact_transfer_with_mangled_memo_confirms_and_credits_shop(shop_order):
    memo = f"MBVCB.3278.{display(shop_order.code).lower().replace('-', ' ')}.CT tu 0123"
    response = notify(memo, shop_order.total)
    assert response.status_code == 200 and response.json() == {"success": True, "outcome": "matched", "replay": False}
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED and shop_order.reserved_until is None
    assert LedgerEntry.objects.get(shop_order=shop_order, kind="sale").amount == shop_order.items_total


def test_replay_changes_nothing(shop_order):
    notify(shop_order.code, shop_order.total, tx=7)
    again = notify(shop_order.code, shop_order.total, tx=7)
    assert again.json()["replay"] is True
    assert BankTransaction.objects.count() == 1 and shop_order.payments.count() == 1
    assert LedgerEntry.objects.filter(kind="sale").count() == 1


def test_partial_payment_kept_for_review_then_completed(shop_order):
    assert notify(shop_order.code, 100_000, tx=1).json()["outcome"] == "partial"
    shop_order.refresh_from_db()
    assert shop_order.status == Status.AWAITING_PAYMENT
    assert notify(shop_order.code, shop_order.total - 100_000, tx=2).json()["outcome"] == "matched"
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED


def test_overpayment_confirms_and_is_flagged(shop_order):
    assert notify(shop_order.code, shop_order.total + 50_000).json()["outcome"] == "overpaid"
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED


def test_money_for_a_cancelled_order_is_flagged_late(shop_order):
    advance(shop_order=shop_order, to=Status.CANCELLED, actor=None)
    assert notify(shop_order.code, shop_order.total).json()["outcome"] == "late"
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CANCELLED and not shop_order.payments.exists()


def test_unmatched_and_outgoing(shop_order):
    assert notify("chuyen tien an trua", 50_000, tx=1).json()["outcome"] == "unmatched"
    assert notify(shop_order.code, shop_order.total, tx=2, direction="out").json()["outcome"] == "outgoing"
    shop_order.refresh_from_db()
    assert shop_order.status == Status.AWAITING_PAYMENT


@pytest.mark.parametrize("key", ["wrong", ""])
def test_forged_or_missing_key_is_401_and_stores_nothing(shop_order, key):
    response = notify(shop_order.code, shop_order.total, key=key)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    assert not BankTransaction.objects.exists()


def test_malformed_body_is_400_and_unknown_provider_404(shop_order):
    client = Client()
    bad = client.post(
        "/api/v1/payments/notifications/sepay",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Apikey {KEY}",
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_notification"
    assert client.post("/api/v1/payments/notifications/casso", "{}", content_type="application/json").status_code == 404


def test_cash_on_delivery_recorded(db, settings):
    variant = make_product(price=200_000, quantity=5).variants.get()
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 2)],
        contact=Contact("Lan", "0912345678"),
        payment_method="cod",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    shop_order = order.shop_orders.get()
    for to in (Status.PACKED, Status.SHIPPED):
        advance(shop_order=shop_order, to=to, actor=None)
    payment = record_cash_on_delivery(shop_order=shop_order, amount=shop_order.total, actor=None)
    shop_order.refresh_from_db()
    assert payment.method == "cash" and shop_order.status == Status.DELIVERED
    assert LedgerEntry.objects.get(shop_order=shop_order, kind="sale").amount == 400_000
