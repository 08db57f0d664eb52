"""VAT and PIT the hub withholds for household sellers (Decree 117/2025/NĐ-CP), written in the ledger so the payout
deducts them; docs/compliance.md, "Withholding tax", says which rule each step follows.

* When: the moment a sale succeeds and its payment is accepted — a VietQR shop order paid in full, a cash-on-
  delivery shop order delivered with the cash recorded. Both credit the sale in payments.reconciliation, which
  calls `withhold_sale` in the same transaction.
* Whom: household sellers only (Producer.Kind.HOUSEHOLD). Cooperatives and enterprises have their own tax code
  and invoice and declare themselves.
* On what: the seller's revenue from the shop order's goods and services, per tax kind of its lines: the line
  totals, less the seller's own (shop-funded) discount; a hub-funded discount is still the seller's revenue
  (the hub pays it to the seller). Shipping the buyer paid goes to the carrier and is not the seller's revenue.
* How much: revenue × rate, rounded half up to the đồng, once per shop order per kind (RATES).
* Undone: a cancelled or returned shop order gets offset rows (negative, in the month of the cancellation) and
  a positive TAX ledger entry, through the orders hook registered in PaymentsConfig.ready.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.utils import timezone

from taybac.accounts.models import Producer
from taybac.catalog.models import Product, TaxKind
from taybac.orders.models import ShopOrder
from taybac.payments.models import LedgerEntry
from taybac.payments.withholding_models import TaxWithholding


@dataclass(frozen=True)
class Rate:
    """Rates in hundredths of a percent (basis points): 100 = 1 %."""

    vat: int
    pit: int


# Decree 117/2025/NĐ-CP, withholding rates for resident households and individuals.
RATES: dict[str, Rate] = {
    TaxKind.GOODS: Rate(vat=100, pit=50),
    TaxKind.SERVICE: Rate(vat=500, pit=200),
    TaxKind.TRANSPORT: Rate(vat=300, pit=150),
}
# A kind the hub cannot tell takes the highest rates (the same decree).
HIGHEST = max(RATES, key=lambda kind: RATES[kind].vat + RATES[kind].pit)
KIND_ORDER = (TaxKind.GOODS, TaxKind.SERVICE, TaxKind.TRANSPORT)


def tax_on(*, revenue: int, basis_points: int) -> int:
    """The one rounding rule: revenue × rate rounded half up to the đồng (negative revenue mirrors it)."""
    sign = -1 if revenue < 0 else 1
    return sign * ((abs(revenue) * basis_points + 5_000) // 10_000)


def known_kind(*, kind: str | None) -> str:
    """`kind` if it names a rate row, else the kind with the highest rates."""
    return kind if kind in RATES else HIGHEST


def product_tax_kind(*, product: Product) -> str:
    """The operator's choice for the product if set; else its category's tax kind — or, when the product itself is
    marked a service or transport (Product.kind) and that has higher rates, that kind: a disagreement between the
    two never lowers the tax."""
    if product.tax_kind:
        return known_kind(kind=product.tax_kind)
    candidates = [known_kind(kind=product.category.tax_kind), known_kind(kind=product.kind)]
    return max(candidates, key=lambda kind: RATES[kind].vat + RATES[kind].pit)


def period_of(*, moment: datetime.datetime | None = None) -> str:
    """The declaration month (Vietnam time) of a moment, YYYY-MM."""
    return timezone.localtime(moment or timezone.now()).strftime("%Y-%m")


def is_withheld(*, producer: Producer) -> bool:
    """Households are withheld for; cooperatives and enterprises declare their own tax."""
    return producer.kind == Producer.Kind.HOUSEHOLD


def seller_revenue(*, shop_order: ShopOrder) -> int:
    """What the seller earns from the shop order's goods: their line totals less a shop-funded discount."""
    return shop_order.items_total - (0 if shop_order.discount_by_hub else shop_order.discount)


def revenue_by_kind(*, shop_order: ShopOrder) -> dict[str, int]:
    """The seller's revenue split by tax kind. A shop-funded discount is shared in proportion to the kinds' line
    totals, rounded down, the đồng left over going to the kind with the largest total."""
    totals: dict[str, int] = defaultdict(int)
    lines = shop_order.lines.select_related("variant__product__category").order_by("id")
    for line in lines:
        totals[product_tax_kind(product=line.variant.product)] += line.line_total
    gross = sum(totals.values())
    discount = gross - seller_revenue(shop_order=shop_order) if gross else 0
    if not discount:
        return dict(totals)
    shares = {kind: discount * total // gross for kind, total in totals.items()}
    largest = max(totals, key=lambda kind: (totals[kind], -KIND_ORDER.index(kind)))
    shares[largest] += discount - sum(shares.values())
    return {kind: total - shares[kind] for kind, total in totals.items()}


def withhold_sale(*, shop_order: ShopOrder, at: datetime.datetime | None = None) -> list[TaxWithholding]:
    """Withhold for a sale just credited to the shop (inside the caller's transaction); once per shop order.
    `at` is when the sale succeeded if not now (the demo's synthetic history)."""
    producer = Producer.objects.get(shop__pk=shop_order.shop_id)
    if not is_withheld(producer=producer) or TaxWithholding.objects.filter(shop_order=shop_order).exists():
        return []
    return _withhold(shop_order, period=period_of(moment=at))


def rewithhold(*, shop_order: ShopOrder) -> list[TaxWithholding]:
    """The paid sale's revenue changed (a short harvest refunded in part, a substitute): offset what is withheld and
    withhold again on the new revenue, both in this month. Nothing when nothing is withheld."""
    if not _live(shop_order).exists():
        return []
    offset_undone(shop_order=shop_order)
    return _withhold(shop_order, period=period_of())


def _live(shop_order: ShopOrder) -> QuerySet[TaxWithholding]:
    """Withholdings of the shop order that no row offsets yet."""
    return TaxWithholding.objects.filter(shop_order=shop_order, offsets__isnull=True, offset_by__isnull=True)


def _withhold(shop_order: ShopOrder, *, period: str) -> list[TaxWithholding]:
    """One row per kind of the shop order's revenue, and their TAX ledger entry."""
    by_kind = revenue_by_kind(shop_order=shop_order)
    rows = []
    for kind in KIND_ORDER:
        revenue = by_kind.get(kind, 0)
        if revenue <= 0:
            continue
        rate = RATES[kind]
        rows.append(
            TaxWithholding(
                shop_order=shop_order,
                shop_id=shop_order.shop_id,
                kind=kind,
                period=period,
                revenue=revenue,
                vat=tax_on(revenue=revenue, basis_points=rate.vat),
                pit=tax_on(revenue=revenue, basis_points=rate.pit),
            )
        )
    return _store(shop_order, rows, note=f"Thuế khấu trừ, nộp thay đơn {shop_order.code}")


def offset_undone(*, shop_order: ShopOrder) -> list[TaxWithholding]:
    """A cancelled or returned shop order: offset every withholding not yet offset, in this month, and give the
    tax back to the shop's balance. Registered as an orders hook; runs inside the transition's transaction."""
    originals = _live(shop_order)
    period = period_of()
    rows = [
        TaxWithholding(
            shop_order=shop_order,
            shop_id=row.shop_id,
            kind=row.kind,
            period=period,
            revenue=-row.revenue,
            vat=-row.vat,
            pit=-row.pit,
            offsets=row,
        )
        for row in originals.order_by("id")
    ]
    return _store(shop_order, rows, note=f"Hoàn thuế khấu trừ, đơn {shop_order.code} đã hủy/trả")


def _store(shop_order: ShopOrder, rows: list[TaxWithholding], *, note: str) -> list[TaxWithholding]:
    """Save the rows and one TAX ledger entry for their sum (negative withholds, positive gives back)."""
    if not rows:
        return []
    for row in rows:
        row.save()
    tax = sum(row.vat + row.pit for row in rows)
    if tax:
        LedgerEntry.objects.create(
            shop_id=shop_order.shop_id, shop_order=shop_order, kind=LedgerEntry.Kind.TAX, amount=-tax, note=note
        )
    return rows


def withheld_total(*, shop_order: ShopOrder) -> int:
    """VAT + PIT still withheld on a shop order (zero once offset)."""
    totals = TaxWithholding.objects.filter(shop_order=shop_order).aggregate(vat=Sum("vat"), pit=Sum("pit"))
    return (totals["vat"] or 0) + (totals["pit"] or 0)
