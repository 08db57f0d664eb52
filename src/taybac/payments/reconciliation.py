"""Matching bank transfers to shop orders by the payment code in the memo.

Two kinds of code pay: a shop order's own (one VietQR per shop order, as pages showed before one payment per
checkout; transfers already in flight still carry them) and a checkout's (the Order's code, one VietQR for
the whole cart). A shop order's code is looked for first, and handled exactly as before: a transfer that pays
it exactly confirms it; less or more money, a cancelled order, or no code found are kept for operator review.

A checkout's transfer is split across its shop orders still awaiting payment, in shop-order order (their
ids: the order the page lists them in). Each is paid in full while the money lasts and confirmed; what is
left pays part of the next one, which keeps waiting for the rest; the others keep waiting. Money beyond
what the awaiting shop orders owe (an over-payment, or a transfer after they were cancelled) becomes a
Credit owed back to the buyer. A replayed notification (same provider and transaction id) changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Sum

from taybac.accounts.models import User
from taybac.core.idempotent import get_or_create_once
from taybac.core.money import MoneyError, format_vnd
from taybac.orders import notifications
from taybac.orders.lifecycle import advance
from taybac.orders.models import Order, ShopOrder, Status
from taybac.payments.memo import find_payment_codes
from taybac.payments.models import BankTransaction, Credit, LedgerEntry, Payment
from taybac.payments.providers.base import BankTransfer
from taybac.payments.withholding import withhold_sale

Outcome = BankTransaction.Outcome


def paid_amount(*, shop_order: ShopOrder) -> int:
    return shop_order.payments.aggregate(total=Sum("amount"))["total"] or 0


def _credit_sale(shop_order: ShopOrder) -> None:
    """The hub owes the shop its goods once the order is paid (shipping goes to the carrier): what the buyer
    paid for them (less a voucher's discount), plus a hub-funded discount, which the hub owes the shop."""
    LedgerEntry.objects.create(
        shop_id=shop_order.shop_id,
        shop_order=shop_order,
        kind=LedgerEntry.Kind.SALE,
        amount=shop_order.items_total - shop_order.discount,
        note=f"Đơn {shop_order.code}",
    )
    if shop_order.discount and shop_order.discount_by_hub:
        LedgerEntry.objects.create(
            shop_id=shop_order.shop_id,
            shop_order=shop_order,
            kind=LedgerEntry.Kind.VOUCHER,
            amount=shop_order.discount,
            note=f"Mã giảm giá sàn tài trợ, đơn {shop_order.code}",
        )
    withhold_sale(shop_order=shop_order)  # VAT and PIT for a household seller (payments/withholding.py)


def _find_order(memo: str) -> ShopOrder | Order | None:
    """The shop order whose code the memo carries (first seen first), else the checkout (Order) whose code it
    carries; locked. Shop-order codes win, so transfers made with them are matched exactly as before."""
    codes = find_payment_codes(memo)
    if not codes:
        return None
    locked = ShopOrder.objects.select_for_update(of=("self",)).select_related("shop__producer__owner")
    found = {so.code: so for so in locked.filter(code__in=codes)}
    shop_order = next((found[c] for c in codes if c in found), None)
    if shop_order is not None:
        return shop_order
    orders = {o.code: o for o in Order.objects.select_for_update().filter(code__in=codes)}
    return next((orders[c] for c in codes if c in orders), None)


def record_transfer(*, transfer: BankTransfer) -> tuple[BankTransaction, bool]:
    """Store and match one notified transfer; returns (transaction, created). Replays, even concurrent ones,
    return the stored transaction with created=False and change nothing."""
    return get_or_create_once(
        BankTransaction,
        {"provider": transfer.provider, "transaction_id": transfer.transaction_id},
        lambda: _record(transfer),
    )


def _record(transfer: BankTransfer) -> BankTransaction:
    tx = BankTransaction(
        provider=transfer.provider,
        transaction_id=transfer.transaction_id,
        account_number=transfer.account_number or "",
        amount=transfer.amount,
        direction=transfer.direction,
        memo=(transfer.memo or "")[:500],
        bank=transfer.bank or "",
        reference=transfer.reference or "",
        occurred_at=transfer.occurred_at,
        raw=transfer.raw,
    )
    if transfer.direction != "in":
        tx.outcome = Outcome.OUTGOING
        tx.save()
        return tx
    shop_order = _find_order(transfer.memo or "")
    if isinstance(shop_order, Order):
        return _record_for_checkout(tx, shop_order)
    tx.shop_order = shop_order
    if shop_order is None:
        tx.outcome = Outcome.UNMATCHED
        tx.save()
        return tx
    if shop_order.status != Status.AWAITING_PAYMENT:
        tx.outcome = Outcome.LATE if shop_order.status == Status.CANCELLED else Outcome.OVERPAID
        tx.save()
        return tx
    due = shop_order.total - paid_amount(shop_order=shop_order)
    tx.outcome = (
        Outcome.MATCHED if transfer.amount == due else (Outcome.PARTIAL if transfer.amount < due else Outcome.OVERPAID)
    )
    tx.save()
    Payment.objects.create(
        shop_order=shop_order, method=Payment.Method.TRANSFER, amount=transfer.amount, bank_transaction=tx
    )
    if transfer.amount >= due:
        advance(shop_order=shop_order, to=Status.CONFIRMED, actor=None, note=f"{tx.provider}#{tx.transaction_id}")
        _credit_sale(shop_order)
        notifications.shop_order_paid(shop_order)  # sent on commit
    return tx


def _paid_by_shop_order(shop_orders: list[ShopOrder]) -> dict[int, int]:
    rows = (
        Payment.objects.filter(shop_order__in=shop_orders)
        .order_by()
        .values("shop_order")
        .annotate(total=Sum("amount"))
        .values_list("shop_order", "total")
    )
    return {shop_order_id: total or 0 for shop_order_id, total in rows}


def _record_for_checkout(tx: BankTransaction, order: Order) -> BankTransaction:
    """Split a transfer carrying the checkout's code across its awaiting shop orders (module docstring)."""
    tx.order = order
    shop_orders = list(
        ShopOrder.objects.select_for_update(of=("self",))
        .select_related("shop__producer__owner", "order")
        .filter(order=order)
        .order_by("id")
    )
    paid = _paid_by_shop_order(shop_orders)
    owed = [(so, so.total - paid.get(so.pk, 0)) for so in shop_orders if so.status == Status.AWAITING_PAYMENT]
    owed = [(so, due) for so, due in owed if due > 0]
    total_due = sum(due for _, due in owed)
    if not owed:
        cancelled = any(so.status == Status.CANCELLED for so in shop_orders)
        tx.outcome = Outcome.LATE if cancelled else Outcome.OVERPAID
    elif tx.amount == total_due:
        tx.outcome = Outcome.MATCHED
    else:
        tx.outcome = Outcome.PARTIAL if tx.amount < total_due else Outcome.OVERPAID
    tx.save()
    remaining = tx.amount
    for shop_order, due in owed:
        if remaining == 0:
            break
        part = min(remaining, due)
        Payment.objects.create(shop_order=shop_order, method=Payment.Method.TRANSFER, amount=part, bank_transaction=tx)
        remaining -= part
        if part == due:
            advance(shop_order=shop_order, to=Status.CONFIRMED, actor=None, note=f"{tx.provider}#{tx.transaction_id}")
            _credit_sale(shop_order)
            notifications.shop_order_paid(shop_order)  # sent on commit
    if remaining > 0:
        Credit.objects.create(order=order, bank_transaction=tx, amount=remaining)
    return tx


def record_cash_on_delivery(
    *, shop_order: ShopOrder, amount: int, actor: User | None, on_behalf_of: User | None = None
) -> Payment:
    """The courier (or the producer delivering by hand) collected cash: record it, mark delivered, credit the
    shop. A second tap fails the transition and rolls the payment back, so cash is never counted twice."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= 10 * shop_order.total:
        raise MoneyError(f"Số tiền đã thu không hợp lệ (đơn {format_vnd(shop_order.total)}).", field="amount")
    with transaction.atomic():
        payment = Payment.objects.create(
            shop_order=shop_order,
            method=Payment.Method.CASH,
            amount=amount,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        delivered = advance(
            shop_order=shop_order, to=Status.DELIVERED, actor=actor, on_behalf_of=on_behalf_of, note=f"COD {amount}"
        )
        _credit_sale(delivered)
    return payment


def erase_transfer_details(*, before: datetime) -> int:
    """Erase the memo and raw notification of bank transfers made before `before` (past the accounting period):
    they may name the payer; amount, date and outcome stay. How many transfers."""
    return BankTransaction.objects.filter(occurred_at__lt=before).exclude(memo="", raw={}).update(memo="", raw={})
