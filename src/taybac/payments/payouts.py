"""Money leaving the hub: refunds to buyers and payouts to producers, each recorded once and audited.

The hub collects as the marketplace's agent, so its ledger says what it owes each shop: a paid sale credits
the shop, a refund of a cancelled or returned order reverses that credit, a payout debits what was sent. A
payout can never exceed the balance and a refund never exceeds what the buyer paid and is owed back. Both take
an idempotency key (the form's one-time token), so a double submit records the money once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from taybac.accounts.identity import missing_for_payout
from taybac.accounts.models import SellerIdentity, User
from taybac.catalog.models import Shop
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.core.idempotent import get_or_create_once
from taybac.core.money import format_vnd
from taybac.orders.models import ShopOrder, Status
from taybac.payments.models import LedgerEntry, Refund

UNDONE = (Status.CANCELLED, Status.RETURNED)


class MoneyError(DomainError):
    code = "invalid_money_movement"


def _check(amount: int, reference: str, key: str) -> str:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise MoneyError("Số tiền phải là số nguyên dương (đồng).", field="amount")
    reference = (reference or "").strip()
    if not reference or len(reference) > 100:
        raise MoneyError("Nhập mã giao dịch ngân hàng của khoản chuyển (tối đa 100 ký tự).", field="reference")
    if not key or len(key) > 100:
        raise MoneyError("Thiếu khóa chống gửi trùng.", field="key")
    return reference


def refundable(*, shop_order: ShopOrder) -> int:
    """What the buyer paid and is owed back: everything for an undone order, the excess otherwise."""
    paid = shop_order.payments.aggregate(total=Sum("amount"))["total"] or 0
    refunded = shop_order.refunds.aggregate(total=Sum("amount"))["total"] or 0
    kept = 0 if shop_order.status in UNDONE else shop_order.total
    return max(paid - refunded - kept, 0)


def record_refund(
    *, shop_order: ShopOrder, amount: int, reference: str, key: str, actor: User, note: str = ""
) -> Refund:
    """Record money sent back to the buyer; an undone order's sale credit is reversed in the shop's ledger."""
    reference = _check(amount, reference, key)

    def create() -> Refund:
        locked = ShopOrder.objects.select_for_update().get(pk=shop_order.pk)
        owed = refundable(shop_order=locked)
        if owed == 0:
            raise MoneyError(f"Đơn {locked.code} không có khoản nào cần hoàn.", field="shop_order")
        if amount > owed:
            raise MoneyError(f"Đơn {locked.code} chỉ cần hoàn tối đa {format_vnd(owed)}.", field="amount")
        refund = Refund.objects.create(
            shop_order=locked, amount=amount, reference=reference, note=note[:200], key=key, recorded_by=_user(actor)
        )
        _reverse_sale(locked)
        audit.record(
            actor=actor, action="payment.refund", target=locked, detail={"amount": amount, "reference": reference}
        )
        return refund

    return get_or_create_once(Refund, {"key": key}, create)[0]


def _reverse_sale(shop_order: ShopOrder) -> None:
    """An undone order no longer earns the shop its goods: take back the sale credit, once."""
    if shop_order.status not in UNDONE:
        return
    entries = LedgerEntry.objects.filter(shop_order=shop_order)
    credited = entries.filter(kind=LedgerEntry.Kind.SALE).aggregate(total=Sum("amount"))["total"] or 0
    if credited and not entries.filter(kind=LedgerEntry.Kind.REFUND).exists():
        LedgerEntry.objects.create(
            shop_id=shop_order.shop_id,
            shop_order=shop_order,
            kind=LedgerEntry.Kind.REFUND,
            amount=-credited,
            note=f"Hoàn đơn {shop_order.code}",
        )
    voucher = entries.filter(kind=LedgerEntry.Kind.VOUCHER).aggregate(total=Sum("amount"))["total"] or 0
    if voucher > 0:  # the hub-funded discount is no longer owed either (once: the sum is then zero)
        LedgerEntry.objects.create(
            shop_id=shop_order.shop_id,
            shop_order=shop_order,
            kind=LedgerEntry.Kind.VOUCHER,
            amount=-voucher,
            note=f"Hoàn đơn {shop_order.code}: bỏ mã giảm giá sàn tài trợ",
        )


def balance(*, shop: Shop) -> int:
    return LedgerEntry.objects.filter(shop=shop).aggregate(total=Sum("amount"))["total"] or 0


def record_payout(*, shop: Shop, amount: int, reference: str, key: str, actor: User) -> LedgerEntry:
    """Record a transfer from the hub to the producer; never more than the hub owes the shop."""
    reference = _check(amount, reference, key)

    def create() -> LedgerEntry:
        Shop.objects.select_for_update().filter(pk=shop.pk).first()  # one payout per shop at a time
        owed = balance(shop=shop)
        if amount > owed:
            raise MoneyError(f"Hub chỉ còn nợ {shop.name} {format_vnd(max(owed, 0))}.", field="amount")
        if missing := missing_for_payout(producer_id=shop.producer_id):  # Decree 85/2021/NĐ-CP, Decree 117/2025
            raise MoneyError(
                f"Chưa chuyển tiền được cho {shop.name}: người bán chưa ghi {', '.join(missing)}.",
                field="shop",
                code="seller_identity_missing",
            )
        entry = LedgerEntry.objects.create(
            shop=shop,
            kind=LedgerEntry.Kind.PAYOUT,
            amount=-amount,
            key=key,
            note=f"Chuyển khoản {reference}",
            recorded_by=_user(actor),
        )
        audit.record(
            actor=actor, action="payment.payout", target=shop, detail={"amount": amount, "reference": reference}
        )
        return entry

    return get_or_create_once(LedgerEntry, {"key": key}, create)[0]


@dataclass(frozen=True)
class ShopBalance:
    shop: Shop
    sales: int
    refunds: int
    payouts: int
    vouchers: int = 0  # hub-funded discounts the hub owes the shop, less their reversals
    tax: int = 0  # VAT and PIT withheld for the seller (negative), less offsets (payments/withholding.py)
    identity_missing: bool = False  # no payout until the seller's identity is recorded (accounts/identity.py)

    @property
    def owed(self) -> int:
        return self.sales + self.refunds + self.payouts + self.vouchers + self.tax


def payout_report() -> list[ShopBalance]:
    """Every shop with ledger entries: sales, reversals, payouts (both negative) and what is still owed."""
    rows = LedgerEntry.objects.values("shop_id", "kind").annotate(total=Sum("amount")).order_by()
    sums: dict[int, dict[str, int]] = {}
    for row in rows:
        sums.setdefault(row["shop_id"], {})[row["kind"]] = row["total"]
    shops = Shop.objects.filter(pk__in=sums).select_related("province").order_by("name")
    identified = set(SellerIdentity.objects.filter(producer__shop__in=shops).values_list("producer_id", flat=True))
    return [
        ShopBalance(
            shop=s,
            sales=sums[s.pk].get("sale", 0),
            refunds=sums[s.pk].get("refund", 0),
            payouts=sums[s.pk].get("payout", 0),
            vouchers=sums[s.pk].get("voucher", 0),
            tax=sums[s.pk].get("tax", 0),
            identity_missing=s.producer_id not in identified,
        )
        for s in shops
    ]


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
