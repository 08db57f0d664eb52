"""Tax withheld for household sellers (Decree 117/2025/NĐ-CP): rates per kind, one rounding rule, only households,
offsets on cancellation and return in the month they happen, and the payout deducting it."""

import itertools
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taybac.accounts.models import Producer
from taybac.catalog.models import Product, TaxKind
from taybac.catalog.services import create_shop
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import Status
from taybac.payments.models import LedgerEntry, TaxWithholding
from taybac.payments.payouts import MoneyError, balance, payout_report, record_payout
from taybac.payments.reconciliation import record_cash_on_delivery
from taybac.payments.withholding import HIGHEST, RATES, product_tax_kind, revenue_by_kind, tax_on, withheld_total
from taybac.regions.services import create_address
from tests.factories import make_producer, make_product, record_identity_for
from tests.payments.test_reconciliation import KEY, notify


@given(revenue=st.integers(min_value=0, max_value=10**13), kind=st.sampled_from(sorted(RATES)))
def test_tax_is_revenue_times_rate_rounded_half_up(revenue, kind):
    for basis_points in (RATES[kind].vat, RATES[kind].pit):
        exact = Fraction(revenue * basis_points, 10_000)
        assert tax_on(revenue=revenue, basis_points=basis_points) == int(exact + Fraction(1, 2))
        assert tax_on(revenue=-revenue, basis_points=basis_points) == -tax_on(
            revenue=revenue, basis_points=basis_points
        )


def test_rates_per_kind_and_the_highest_for_an_unknown_kind():
    assert {k: (r.vat, r.pit) for k, r in RATES.items()} == {
        "goods": (100, 50),
        "service": (500, 200),
        "transport": (300, 150),
    }
    assert HIGHEST == TaxKind.SERVICE


def shop_for(kind: str):
    producer = make_producer(name=f"Người bán {kind}", kind=kind)
    return create_shop(actor=producer.owner, producer=producer, name=f"Gian hàng {kind}")


def order_of(shop, lines, *, method="vietqr"):
    """One shop order of `lines` [(product name, category slug, price, quantity)] in `shop`."""
    variants = [
        (make_product(shop=shop, name=name, category_slug=slug, price=price, quantity=50).variants.get(), qty)
        for name, slug, price, qty in lines
    ]
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, qty) for variant, qty in variants],
        contact=Contact("Lan", "0912345678"),
        payment_method=method,
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    return order.shop_orders.get()


_transfers = itertools.count(1000)


def pay(shop_order, settings):
    settings.TAYBAC_SEPAY_API_KEY = KEY
    assert notify(shop_order.code, shop_order.total, tx=next(_transfers)).json()["outcome"] == "matched"
    shop_order.refresh_from_db()
    return shop_order


def rows(shop_order):
    return list(
        TaxWithholding.objects.filter(shop_order=shop_order).order_by("id").values_list("kind", "revenue", "vat", "pit")
    )


def test_paid_vietqr_order_of_a_household_is_withheld_per_kind_rounded_half_up(db, settings):
    shop = shop_for(Producer.Kind.HOUSEHOLD)
    shop_order = pay(
        order_of(shop, [("Mật ong", "mat-ong", 350_050, 1), ("Homestay", "du-lich-cong-dong", 1_234_567, 1)]), settings
    )
    # goods 350,050: VAT 3,500.5 → 3,501, PIT 1,750.25 → 1,750;
    # service 1,234,567: VAT 61,728.35 → 61,728, PIT 24,691.34 → 24,691
    assert rows(shop_order) == [("goods", 350_050, 3_501, 1_750), ("service", 1_234_567, 61_728, 24_691)]
    tax = 3_501 + 1_750 + 61_728 + 24_691
    assert LedgerEntry.objects.get(shop_order=shop_order, kind="tax").amount == -tax
    assert balance(shop=shop) == shop_order.items_total - tax
    notify(shop_order.code, 1, tx=99)  # a later transfer for the same order withholds nothing more
    assert len(rows(shop_order)) == 2 and withheld_total(shop_order=shop_order) == tax


@pytest.mark.parametrize("kind", [Producer.Kind.COOPERATIVE, Producer.Kind.ENTERPRISE])
def test_cooperatives_and_enterprises_are_not_withheld(db, settings, kind):
    shop_order = pay(order_of(shop_for(kind), [("Chè", "che", 200_000, 2)]), settings)
    assert rows(shop_order) == [] and not LedgerEntry.objects.filter(kind="tax").exists()
    assert balance(shop=shop_order.shop) == 400_000


def test_cancellation_after_payment_is_offset_in_the_month_of_the_cancellation(db, settings):
    shop_order = pay(order_of(shop_for(Producer.Kind.HOUSEHOLD), [("Mật ong", "mat-ong", 350_000, 1)]), settings)
    TaxWithholding.objects.filter(shop_order=shop_order).update(period="2026-01")  # as if paid in January
    advance(shop_order=shop_order, to=Status.CANCELLED, actor=None)
    original, offset = TaxWithholding.objects.filter(shop_order=shop_order).order_by("id")
    assert (original.period, original.vat, original.pit) == ("2026-01", 3_500, 1_750)
    assert offset.offsets == original and (offset.revenue, offset.vat, offset.pit) == (-350_000, -3_500, -1_750)
    assert offset.period != "2026-01" and offset.period == offset.created_at.astimezone().strftime("%Y-%m")
    taxes = list(LedgerEntry.objects.filter(shop_order=shop_order, kind="tax").values_list("amount", flat=True))
    assert taxes == [-5_250, 5_250] and withheld_total(shop_order=shop_order) == 0
    assert balance(shop=shop_order.shop) == 350_000  # the sale itself is reversed when the refund is recorded


def test_cash_on_delivery_withheld_at_delivery_and_offset_on_return(db):
    shop_order = order_of(shop_for(Producer.Kind.HOUSEHOLD), [("Xe chở hàng", "gia-vi", 100_001, 1)], method="cod")
    Product.objects.filter(shop=shop_order.shop).update(tax_kind=TaxKind.TRANSPORT)  # an operator's choice
    for step in (Status.PACKED, Status.SHIPPED):
        shop_order = advance(shop_order=shop_order, to=step, actor=None)
    assert rows(shop_order) == []  # shipped is not yet a successful sale
    record_cash_on_delivery(shop_order=shop_order, amount=shop_order.total, actor=None)
    assert rows(shop_order) == [("transport", 100_001, 3_000, 1_500)]  # 3,000.03 and 1,500.015 round down
    advance(shop_order=shop_order, to=Status.RETURNED, actor=None)
    assert rows(shop_order)[1] == ("transport", -100_001, -3_000, -1_500)
    assert TaxWithholding.objects.filter(shop_order=shop_order).count() == 2  # offset once


def test_unknown_kind_takes_the_highest_rates_and_a_disagreement_never_lowers_tax(db):
    product = make_product(category_slug="mat-ong")
    assert product_tax_kind(product=product) == TaxKind.GOODS
    product.kind = Product.Kind.TRANSPORT  # marked transport by an operator, in a goods category
    assert product_tax_kind(product=product) == TaxKind.TRANSPORT
    product.tax_kind = "something-else"  # not a kind the rates know
    assert product_tax_kind(product=product) == HIGHEST
    product.tax_kind = TaxKind.GOODS  # the operator's explicit choice wins
    assert product_tax_kind(product=product) == TaxKind.GOODS


def test_the_payout_deducts_the_tax(db, settings):
    shop_order = pay(order_of(shop_for(Producer.Kind.HOUSEHOLD), [("Mật ong", "mat-ong", 350_000, 1)]), settings)
    shop = shop_order.shop
    record_identity_for(shop.producer)
    with pytest.raises(MoneyError, match="chỉ còn nợ"):
        record_payout(shop=shop, amount=350_000, reference="FT1", key="k1", actor=None)
    record_payout(shop=shop, amount=344_750, reference="FT1", key="k2", actor=None)
    [row] = payout_report()
    assert (row.sales, row.tax, row.payouts, row.owed) == (350_000, -5_250, -344_750, 0)


def test_a_shop_funded_discount_is_shared_between_kinds_and_a_hub_funded_one_stays_revenue(db):
    shop_order = order_of(
        shop_for(Producer.Kind.HOUSEHOLD),
        [("Mật ong", "mat-ong", 300_000, 1), ("Homestay", "du-lich-cong-dong", 700_001, 1)],
    )
    shop_order.discount, shop_order.discount_by_hub = 100_001, False
    # 30,000.27 and 70,000.7 rounded down; the đồng left goes to the larger kind
    assert revenue_by_kind(shop_order=shop_order) == {"goods": 270_000, "service": 630_000}
    shop_order.discount_by_hub = True  # the hub pays the seller the discount: still the seller's revenue
    assert revenue_by_kind(shop_order=shop_order) == {"goods": 300_000, "service": 700_001}
