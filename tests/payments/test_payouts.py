"""Refunds to buyers and payouts to producers: bounded by what is owed, recorded once, reflected in the ledger."""

import re
import uuid

import pytest
from django.test import Client

from taybac.core.models import AuditEntry
from taybac.orders.lifecycle import advance
from taybac.orders.models import Status
from taybac.payments.models import LedgerEntry, Refund
from taybac.payments.payouts import MoneyError, balance, payout_report, record_payout, record_refund, refundable
from tests.factories import make_user, record_identity_for
from tests.payments.test_reconciliation import KEY, notify, shop_order  # noqa: F401  (fixture)

TAX = 5_250  # withheld for the household seller: 1 % VAT + 0.5 % PIT of 350,000 ₫ goods


def key() -> str:
    return uuid.uuid4().hex


def test_paid_then_cancelled_order_is_refunded_once_and_the_sale_reversed(shop_order):
    notify(shop_order.code, shop_order.total)
    shop_order.refresh_from_db()
    assert refundable(shop_order=shop_order) == 0  # a live, exactly paid order owes the buyer nothing
    with pytest.raises(MoneyError, match="không có khoản nào"):
        record_refund(shop_order=shop_order, amount=1, reference="FT1", key=key(), actor=None)
    shop_order = advance(shop_order=shop_order, to=Status.CANCELLED, actor=None)
    assert refundable(shop_order=shop_order) == shop_order.total
    with pytest.raises(MoneyError, match="tối đa"):
        record_refund(shop_order=shop_order, amount=shop_order.total + 1, reference="FT1", key=key(), actor=None)
    once = key()
    first = record_refund(shop_order=shop_order, amount=shop_order.total, reference="FT1", key=once, actor=None)
    again = record_refund(shop_order=shop_order, amount=shop_order.total, reference="FT1", key=once, actor=None)
    assert first.pk == again.pk and Refund.objects.count() == 1
    assert balance(shop=shop_order.shop) == 0  # sale credit reversed
    assert list(LedgerEntry.objects.values_list("kind", "amount")) == [
        ("sale", shop_order.items_total),
        ("tax", -TAX),  # withheld when paid, given back when cancelled (tests/payments/test_withholding.py)
        ("tax", TAX),
        ("refund", -shop_order.items_total),
    ]
    assert refundable(shop_order=shop_order) == 0
    assert AuditEntry.objects.filter(action="payment.refund").count() == 1


def test_overpayment_excess_is_refundable_without_touching_the_sale(shop_order):
    notify(shop_order.code, shop_order.total + 50_000)
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CONFIRMED and refundable(shop_order=shop_order) == 50_000
    record_refund(shop_order=shop_order, amount=50_000, reference="FT2", key=key(), actor=None)
    assert balance(shop=shop_order.shop) == shop_order.items_total - TAX


@pytest.mark.parametrize(
    "amount, reference, message",
    [
        (0, "FT", "số nguyên dương"),
        (-5, "FT", "số nguyên dương"),
        (True, "FT", "số nguyên dương"),
        (10, " ", "mã giao dịch"),
    ],
)
def test_bad_amounts_and_references_are_refused(shop_order, amount, reference, message):
    with pytest.raises(MoneyError, match=message):
        record_payout(shop=shop_order.shop, amount=amount, reference=reference, key=key(), actor=None)


def test_payout_never_exceeds_what_is_owed_and_records_once(shop_order):
    shop = shop_order.shop
    record_identity_for(shop.producer)  # no payout without the seller's identity (tests/accounts/test_identity_payouts)
    with pytest.raises(MoneyError, match="chỉ còn nợ"):
        record_payout(shop=shop, amount=1, reference="FT3", key=key(), actor=None)
    notify(shop_order.code, shop_order.total)
    once = key()
    record_payout(shop=shop, amount=100_000, reference="FT3", key=once, actor=None)
    record_payout(shop=shop, amount=100_000, reference="FT3", key=once, actor=None)
    assert balance(shop=shop) == shop_order.items_total - TAX - 100_000
    with pytest.raises(MoneyError, match="chỉ còn nợ"):
        record_payout(shop=shop, amount=shop_order.items_total, reference="FT4", key=key(), actor=None)
    [row] = payout_report()
    assert (row.sales, row.refunds, row.payouts, row.owed) == (
        shop_order.items_total,
        0,
        -100_000,
        shop_order.items_total - TAX - 100_000,
    )


def _staff_client() -> Client:
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_operator_records_a_payout_from_the_report_page(shop_order):
    notify(shop_order.code, shop_order.total)
    record_identity_for(shop_order.shop.producer)
    client = _staff_client()
    page = client.get("/quan-tri/payments/ledgerentry/chi-tra/")
    assert page.status_code == 200 and shop_order.shop.name in page.content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page.content.decode()).group(1)
    form = {"shop": shop_order.shop.pk, "amount": shop_order.items_total - TAX, "reference": "FT5", "token": token}
    assert client.post("/quan-tri/payments/ledgerentry/chi-tra/", form).status_code == 302
    assert client.post("/quan-tri/payments/ledgerentry/chi-tra/", form).status_code == 302  # double submit
    assert balance(shop=shop_order.shop) == 0 and LedgerEntry.objects.filter(kind="payout").count() == 1
    too_much = client.post("/quan-tri/payments/ledgerentry/chi-tra/", {**form, "token": key()}, follow=True)
    assert "chỉ còn nợ" in too_much.content.decode()


def test_operator_records_a_refund_from_a_form(shop_order):
    notify(shop_order.code, shop_order.total)
    shop_order = advance(shop_order=shop_order, to=Status.CANCELLED, actor=None)
    client = _staff_client()
    assert client.get(f"/quan-tri/payments/refund/add/?don={shop_order.code}").status_code == 200
    bad = client.post(
        "/quan-tri/payments/refund/add/", {"shop_order": "TBXXXXXXXX", "amount": 10, "reference": "FT", "token": key()}
    )
    assert bad.status_code == 200 and "Không tìm thấy đơn" in bad.content.decode()
    over = client.post(
        "/quan-tri/payments/refund/add/",
        {"shop_order": shop_order.code, "amount": shop_order.total + 1, "reference": "FT6", "token": key()},
    )
    assert "tối đa" in over.content.decode() and not Refund.objects.exists()
    done = client.post(
        "/quan-tri/payments/refund/add/",
        {"shop_order": shop_order.code.lower(), "amount": shop_order.total, "reference": "FT6", "token": key()},
    )
    assert done.status_code == 302 and Refund.objects.get().amount == shop_order.total
