"""No payout before the seller's identity is recorded: the service refuses, the operators' payout page says why."""

import uuid

import pytest
from django.test import Client

from taybac.payments.models import LedgerEntry
from taybac.payments.payouts import MoneyError, balance, payout_report, record_payout
from tests.factories import make_user, record_identity_for
from tests.payments.test_reconciliation import KEY, notify, shop_order  # noqa: F401  (fixture)


def test_payout_refused_until_identity_then_allowed(shop_order):
    notify(shop_order.code, shop_order.total)
    shop = shop_order.shop
    with pytest.raises(MoneyError, match="chưa ghi họ tên theo giấy tờ, số CCCD hoặc mã số thuế, địa chỉ") as refused:
        record_payout(shop=shop, amount=100_000, reference="FT9", key="k-1", actor=None)
    assert refused.value.code == "seller_identity_missing"
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYOUT).exists()
    assert [r.identity_missing for r in payout_report()] == [True]
    owed = balance(shop=shop)
    record_identity_for(shop.producer)
    record_payout(shop=shop, amount=100_000, reference="FT9", key="k-2", actor=None)
    assert balance(shop=shop) == owed - 100_000
    assert [r.identity_missing for r in payout_report()] == [False]


def test_operator_payout_page_shows_the_block_instead_of_the_form(shop_order):
    notify(shop_order.code, shop_order.total)
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get("/quan-tri/payments/ledgerentry/chi-tra/").content.decode()
    assert "Chưa chi trả được" in page and 'name="reference"' not in page
    form = {"shop": shop_order.shop.pk, "amount": 1000, "reference": "FT5", "token": uuid.uuid4().hex}  # a stale tab
    refused = client.post("/quan-tri/payments/ledgerentry/chi-tra/", form, follow=True).content.decode()
    assert "người bán chưa ghi" in refused and not LedgerEntry.objects.filter(kind="payout").exists()
