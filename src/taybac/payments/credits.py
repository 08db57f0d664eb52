"""Refunding a buyer's credit (money transferred beyond what a checkout owed, or after it was cancelled).

The operator sends the money back by bank transfer first, then records it here with the bank's reference: the
credit row itself is the once-only key. Recording the same reference again (a double submit, a retried form)
returns the credit unchanged; another reference for a credit already refunded is refused, so a credit is never
refunded twice on paper.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.core import audit
from taybac.core.money import format_vnd
from taybac.payments.models import Credit
from taybac.payments.payouts import MoneyError

REFERENCE_MAX = 100  # Credit.refund_reference's max_length


def may_refund_credits(*, user: User | None) -> bool:
    """Operators only: the operator role, or staff allowed to change payments (superusers are)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role == Role.OPERATOR or (user.is_staff and user.has_perm("payments.change_credit"))


def record_credit_refund(*, credit: Credit, reference: str, actor: User) -> Credit:
    """Mark the credit refunded with the refund transfer's bank reference, audited as `payment.credit_refund`."""
    if not may_refund_credits(user=actor):
        raise MoneyError("Chỉ người vận hành sàn được ghi nhận hoàn tiền thừa.", code="forbidden")
    reference = (reference or "").strip()
    if not reference or len(reference) > REFERENCE_MAX:
        raise MoneyError("Nhập mã giao dịch ngân hàng của khoản chuyển (tối đa 100 ký tự).", field="reference")
    with transaction.atomic():
        locked = Credit.objects.select_for_update().select_related("order").get(pk=credit.pk)
        if locked.refunded_at is not None:
            if locked.refund_reference == reference:
                return locked  # the same transfer recorded again: nothing more to do
            when = timezone.localtime(locked.refunded_at).strftime("%d/%m/%Y %H:%M")
            raise MoneyError(
                f"Khoản thừa {format_vnd(locked.amount)} của đơn {locked.order.code} đã được hoàn lúc {when} "
                f"(mã giao dịch {locked.refund_reference}).",
                field="reference",
                code="conflict",
            )
        locked.refunded_at = timezone.now()
        locked.refund_reference = reference
        locked.save(update_fields=["refunded_at", "refund_reference"])
        audit.record(
            actor=actor,
            action="payment.credit_refund",
            target=locked,
            detail={"order": locked.order.code, "amount": locked.amount, "reference": reference},
        )
    return locked
