"""Matching bank transfers to shop orders by the payment code in the memo.

A transfer that pays the shop order exactly confirms it; less or more money, a cancelled order, or no code
found are kept for operator review. A replayed notification (same provider and transaction id) changes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum

from taybac.accounts.models import User
from taybac.core.idempotent import get_or_create_once
from taybac.core.money import MoneyError, format_vnd
from taybac.orders import notifications
from taybac.orders.lifecycle import advance
from taybac.orders.models import ShopOrder, Status
from taybac.payments.memo import find_payment_codes
from taybac.payments.models import BankTransaction, LedgerEntry, Payment
from taybac.payments.providers.base import BankTransfer

Outcome = BankTransaction.Outcome


def paid_amount(*, shop_order: ShopOrder) -> int:
    return shop_order.payments.aggregate(total=Sum("amount"))["total"] or 0


def _credit_sale(shop_order: ShopOrder) -> None:
    """The hub owes the shop its goods once the order is paid (shipping goes to the carrier)."""
    LedgerEntry.objects.create(
        shop_id=shop_order.shop_id,
        shop_order=shop_order,
        kind=LedgerEntry.Kind.SALE,
        amount=shop_order.items_total,
        note=f"Đơn {shop_order.code}",
    )


def _find_order(memo: str) -> ShopOrder | None:
    codes = find_payment_codes(memo)
    if not codes:
        return None
    locked = ShopOrder.objects.select_for_update(of=("self",)).select_related("shop__producer__owner")
    found = {so.code: so for so in locked.filter(code__in=codes)}
    return next((found[c] for c in codes if c in found), None)


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
