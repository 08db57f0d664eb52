"""One transfer for a whole checkout (the Order's code in the memo), split across its shop orders in shop-order
order: exact, partial (full ones first, the next partly paid, the rest waiting), over-paid (a credit owed back),
late (everything cancelled), replayed; and the shop orders' own codes still reconciled as before."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.codes import display
from taybac.orders.lifecycle import advance
from taybac.orders.models import Order, Status
from taybac.payments.models import BankTransaction, Credit, LedgerEntry, Payment
from taybac.payments.providers.base import BankTransfer
from taybac.payments.reconciliation import record_transfer
from taybac.payments.selectors import order_due
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop
from tests.payments.test_reconciliation import KEY, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(db, settings) -> Order:
    """A VietQR checkout from three shops (ids in shop order: A, B, C)."""
    settings.TAYBAC_SEPAY_API_KEY = KEY
    variants = [
        make_product(shop=make_shop(name=f"Gian hàng {name}", province_code=code), price=price).variants.get()
        for name, code, price in (("A", 15, 350_000), ("B", 14, 220_000), ("C", 15, 90_000))
    ]
    return place_order(
        buyer=None,
        lines=[LineRequest(v.pk, 1) for v in variants],
        contact=Contact("Lan", "0912345678"),
        payment_method="vietqr",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )


def shop_orders(order: Order) -> list:
    return list(order.shop_orders.order_by("id"))


def assert_balanced() -> None:
    """Every transferred đồng is either a payment to a shop order or a credit for the buyer; every paid shop
    order has exactly one sale entry of its goods."""
    for tx in BankTransaction.objects.filter(direction="in").exclude(outcome__in=["unmatched"]):
        paid = tx.payments.aggregate(total=Sum("amount"))["total"] or 0
        credit = Credit.objects.filter(bank_transaction=tx).aggregate(total=Sum("amount"))["total"] or 0
        if tx.order_id:
            assert paid + credit == tx.amount, tx
    for entry in LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SALE):
        assert entry.amount == entry.shop_order.items_total
        assert entry.shop_order.status == Status.CONFIRMED
    sales = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SALE)  # beside them, the tax withheld (withholding)
    assert sales.values("shop_order").distinct().count() == sales.count()


def test_one_transfer_for_the_total_confirms_every_shop_order(order):
    total = sum(so.total for so in shop_orders(order))
    due = order_due(order.pk)
    assert due.transfer is not None and due.transfer.amount == total and due.transfer.memo == order.code
    memo = f"MBVCB.3278.{display(order.code).lower().replace('-', ' ')}.CT tu 0123"
    assert notify(memo, total).json() == {"success": True, "outcome": "matched", "replay": False}
    assert all(so.status == Status.CONFIRMED and so.reserved_until is None for so in shop_orders(order))
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SALE).count() == 3 and not Credit.objects.exists()
    tx = BankTransaction.objects.get()
    assert tx.order == order and tx.shop_order is None and tx.payments.count() == 3
    assert order_due(order.pk).transfer is None
    assert_balanced()


def test_partial_pays_shop_orders_in_order_then_part_of_the_next(order):
    a, b, c = shop_orders(order)
    amount = a.total + 50_000  # A in full, 50.000 ₫ towards B, nothing for C
    assert notify(order.code, amount).json()["outcome"] == "partial"
    a, b, c = shop_orders(order)
    assert (a.status, b.status, c.status) == (Status.CONFIRMED, Status.AWAITING_PAYMENT, Status.AWAITING_PAYMENT)
    due = order_due(order.pk)
    parts = {p.shop_order.code: p for p in due.parts}
    assert parts[b.code].paid == 50_000 and parts[b.code].partly_paid and parts[b.code].due == b.total - 50_000
    assert parts[c.code].paid == 0 and not parts[c.code].partly_paid and parts[c.code].awaiting
    assert due.transfer.amount == b.total - 50_000 + c.total  # the QR now asks for what remains
    assert LedgerEntry.objects.get(kind=LedgerEntry.Kind.SALE).shop_order == a
    # The remainder, with the same checkout code, completes B and C.
    assert notify(order.code, due.transfer.amount, tx=2).json()["outcome"] == "matched"
    assert all(so.status == Status.CONFIRMED for so in shop_orders(order))
    assert order_due(order.pk).transfer is None
    assert_balanced()


def test_over_payment_pays_everything_and_keeps_a_credit_to_refund(order):
    total = sum(so.total for so in shop_orders(order))
    assert notify(order.code, total + 30_000).json()["outcome"] == "overpaid"
    assert all(so.status == Status.CONFIRMED for so in shop_orders(order))
    credit = Credit.objects.get()
    assert credit.order == order and credit.amount == 30_000 and credit.refunded_at is None
    assert order_due(order.pk).credit == 30_000
    # A second transfer after everything was paid is all credit.
    assert notify(order.code, 10_000, tx=2).json()["outcome"] == "overpaid"
    assert order_due(order.pk).credit == 40_000
    assert_balanced()


def test_a_transfer_after_the_checkout_was_cancelled_is_late_and_owed_back(order):
    for so in shop_orders(order):
        advance(shop_order=so, to=Status.CANCELLED, actor=None)
    assert notify(order.code, 100_000).json()["outcome"] == "late"
    assert not Payment.objects.exists() and Credit.objects.get().amount == 100_000
    assert_balanced()


def test_replayed_checkout_transfer_changes_nothing(order):
    total = sum(so.total for so in shop_orders(order))
    notify(order.code, total + 1, tx=9)
    assert notify(order.code, total + 1, tx=9).json()["replay"] is True
    assert BankTransaction.objects.count() == 1 and Payment.objects.count() == 3
    assert Credit.objects.count() == 1 and LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SALE).count() == 3


def test_shop_order_codes_in_flight_still_reconcile_as_before(order):
    """Pages showed one QR per shop order before: a transfer with a shop order's code pays that one only, and
    its code wins over the checkout's when a memo carries both."""
    a, b, c = shop_orders(order)
    assert notify(f"{b.code} CT tu 0123", b.total).json()["outcome"] == "matched"
    b.refresh_from_db()
    tx = BankTransaction.objects.get()
    assert b.status == Status.CONFIRMED and tx.shop_order == b and tx.order is None
    assert notify(f"{order.code} {a.code}", a.total, tx=2).json()["outcome"] == "matched"
    assert BankTransaction.objects.get(transaction_id="2").shop_order_id == a.pk
    # What is left on the checkout's QR is C's total only.
    assert order_due(order.pk).transfer.amount == c.total
    assert notify(order.code, c.total, tx=3).json()["outcome"] == "matched"
    assert all(so.status == Status.CONFIRMED for so in shop_orders(order))
    assert_balanced()


def test_cash_checkout_has_no_transfer(db):
    variant = make_product().variants.get()
    cod = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="cod",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    assert order_due(cod.pk).transfer is None


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.integers(min_value=1, max_value=1_500_000), min_size=1, max_size=4))
def test_any_sequence_of_transfers_keeps_the_books_balanced(order, amounts):
    """Whatever arrives, in whatever pieces: payments + credits = transfers, shop orders are confirmed exactly
    when paid in full, in shop-order order, and what the QR asks for is what is still owed."""
    sid = transaction.savepoint()
    try:
        start = BankTransaction.objects.count()
        for i, amount in enumerate(amounts):
            record_transfer(
                transfer=BankTransfer(
                    provider="test",
                    transaction_id=f"h{start}-{i}",
                    account_number="1",
                    amount=amount,
                    direction="in",
                    memo=order.code,
                    occurred_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
                )
            )
        parts = order_due(order.pk).parts
        received = sum(amounts)
        owed_before = sum(p.shop_order.total for p in parts)
        assert sum(p.paid for p in parts) == min(received, owed_before)
        assert order_due(order.pk).credit == max(0, received - owed_before)
        seen_unpaid = False
        for p in parts:  # paid in full first, in shop-order order: never a paid one after an unpaid one
            paid_in_full = p.paid == p.shop_order.total
            assert paid_in_full == (p.shop_order.status == Status.CONFIRMED)
            assert not (seen_unpaid and p.paid), "money skipped a shop order"
            seen_unpaid = seen_unpaid or not paid_in_full
        transfer = order_due(order.pk).transfer
        assert (transfer.amount if transfer else 0) == max(0, owed_before - received)
        assert_balanced()
    finally:
        transaction.savepoint_rollback(sid)
