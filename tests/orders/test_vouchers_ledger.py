"""Vouchers in the producers' ledger: a sale is credited with what the buyer paid for the goods; a hub-funded
discount is owed to the shop by the hub (a VOUCHER entry) when the sale is recorded, by transfer or cash on
delivery, and reversed with the sale when the order is cancelled and refunded. A shop-funded discount is the
shop's own: only its sale is lower."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from taybac.accounts.models import Role
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import Status
from taybac.orders.services import cancel_shop_order
from taybac.orders.vouchers import create_voucher
from taybac.payments.models import LedgerEntry
from taybac.payments.payouts import payout_report, record_refund
from taybac.payments.providers.base import BankTransfer
from taybac.payments.reconciliation import record_cash_on_delivery, record_transfer
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop, make_user

pytestmark = pytest.mark.django_db
KINDS = (LedgerEntry.Kind.SALE, LedgerEntry.Kind.VOUCHER, LedgerEntry.Kind.REFUND)  # tax entries are not ours


@pytest.fixture
def variants(db):
    return [
        make_product(shop=make_shop(name=name, province_code=15), price=price, quantity=20).variants.get()
        for name, price in (("Hộ Giàng A Páo", 300_000), ("HTX Chè Suối Giàng", 100_000))
    ]


def voucher(*, shop=None, value=40_000):
    now = timezone.now()
    actor = shop.producer.owner if shop else make_user(role=Role.OPERATOR)
    return create_voucher(
        actor=actor,
        shop=shop,
        code="SHOP1" if shop else "HUB1",
        kind="fixed",
        value=value,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
        total_limit=10,
    )


def checkout(variants, code, method="vietqr"):
    return place_order(
        buyer=None,
        lines=[LineRequest(v.pk, 1) for v in variants],
        contact=Contact("Lan", "0912345678"),
        payment_method=method,
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
        voucher=code,
    )


def entries(shop_order):
    rows = LedgerEntry.objects.filter(shop_order=shop_order, kind__in=KINDS).order_by("id")
    return [(e.kind, e.amount) for e in rows]


def pay(order, amount):
    record_transfer(
        transfer=BankTransfer(
            provider="test",
            transaction_id=f"tx-{order.code}",
            account_number="",
            amount=amount,
            direction="in",
            memo=f"TT {order.code}",
            occurred_at=timezone.now(),
        )
    )


def test_a_hub_voucher_paid_by_transfer_credits_sale_and_voucher_and_a_refund_reverses_both(variants):
    voucher()
    order = checkout(variants, "HUB1")
    first, second = order.shop_orders.order_by("id")
    assert (first.discount, second.discount) == (30_000, 10_000)  # 40,000 split 3:1
    pay(order, first.total + second.total)
    assert entries(first) == [("sale", 270_000), ("voucher", 30_000)]
    assert entries(second) == [("sale", 90_000), ("voucher", 10_000)]
    cancel_shop_order(shop_order=first, actor=None)
    first.refresh_from_db()
    record_refund(shop_order=first, amount=first.total, reference="FT1", key="r1", actor=make_user(role=Role.OPERATOR))
    assert entries(first) == [("sale", 270_000), ("voucher", 30_000), ("refund", -270_000), ("voucher", -30_000)]
    owed = {row.shop.pk: (row.sales, row.refunds, row.vouchers) for row in payout_report()}
    assert owed[first.shop_id] == (270_000, -270_000, 0)
    assert owed[second.shop_id] == (90_000, 0, 10_000)


def test_a_hub_voucher_on_cash_on_delivery_is_credited_when_the_cash_is_recorded(variants):
    voucher()
    order = checkout(variants[1:], "HUB1", method="cod")
    shop_order = order.shop_orders.get()
    for to in (Status.PACKED, Status.SHIPPED):
        advance(shop_order=shop_order, to=to, actor=None)
    record_cash_on_delivery(shop_order=shop_order, amount=shop_order.total, actor=None)
    assert shop_order.total == 100_000 - 40_000 + shop_order.shipping_fee
    assert entries(shop_order) == [("sale", 60_000), ("voucher", 40_000)]


def test_a_shop_voucher_only_lowers_the_shops_sale(variants):
    voucher(shop=variants[0].shop, value=25_000)
    order = checkout(variants, "SHOP1")
    first, second = order.shop_orders.order_by("id")
    pay(order, first.total + second.total)
    assert entries(first) == [("sale", 275_000)]
    assert entries(second) == [("sale", 100_000)]
