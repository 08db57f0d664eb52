"""What a buyer does with their shop order, and the shop's answer to a return: each one service and one
transaction, composing the state machine (orders) with what was paid (payments).

* The buyer cancels before the parcel is packed (placed, awaiting payment or confirmed): the same transition
  the seller's cancel makes (orders.lifecycle.advance → `cancelled`, the reserved stock returns at once). An
  unpaid VietQR request stops being shown; whatever was already paid becomes refundable
  (payments.payouts.refundable), and the hub sends it back (recorded with payments.payouts.record_refund).
* The shop accepts a return request (the shop order becomes `returned`: everything paid is refundable, the
  same way) or refuses it with a reason. The buyer is told by SMS either way.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.core import audit, outbox
from taybac.core.errors import DomainError
from taybac.core.sms import money
from taybac.orders.codes import display
from taybac.orders.lifecycle import advance
from taybac.orders.models import ReturnRequest, ShopOrder, Status
from taybac.orders.returns import require_buyer
from taybac.payments.payouts import refundable

BUYER_CANCELLABLE = (Status.PLACED, Status.AWAITING_PAYMENT, Status.CONFIRMED)
ANSWER_MAX = 300


class BuyerActionError(DomainError):
    code = "buyer_action_refused"


def _refund_text(amount: int) -> str:
    return f" Tien da tra {money(amount)} se duoc hoan vao tai khoan cua ban." if amount else ""


def cancel_by_buyer(*, shop_order: ShopOrder, actor: User | None, holds_link: bool, reason: str = "") -> ShopOrder:
    """The buyer cancels one shop order before it is packed: stock released, the payment owed back if any. The
    shop's owner and the buyer get an SMS."""
    with transaction.atomic():
        locked = ShopOrder.objects.select_related("order", "shop__producer__owner").get(pk=shop_order.pk)
        require_buyer(order=locked.order, actor=actor, holds_link=holds_link)
        if locked.status not in BUYER_CANCELLABLE:
            raise BuyerActionError(
                f"Đơn {display(locked.code)} đang ở trạng thái “{locked.get_status_display()}” nên không hủy được "
                "nữa. Hãy liên hệ gian hàng.",
                field="status",
            )
        cancelled = advance(
            shop_order=locked, to=Status.CANCELLED, actor=actor, note=f"buyer: {' '.join(reason.split())[:180]}"
        )
        owed = refundable(shop_order=cancelled)
        order, owner = locked.order, locked.shop.producer.owner
        messages = [
            outbox.sms(
                phone=order.contact_phone,
                text=f"Tay Bac Hub: da huy don {display(locked.code)} theo yeu cau cua ban.{_refund_text(owed)}",
            )
        ]
        if owner.phone:
            messages.append(
                outbox.sms(
                    phone=owner.phone,
                    text=f"Tay Bac Hub: nguoi mua da huy don {display(locked.code)}. Khong can gui hang.",
                )
            )
        outbox.enqueue(messages)
    return cancelled


def answer_return(*, actor: User, return_request: ReturnRequest, accept: bool, answer: str = "") -> ReturnRequest:
    """The shop (its owner or a delegated helper) accepts or refuses a return request; refusing needs a reason."""
    answer = " ".join((answer or "").split())
    if not accept and not 5 <= len(answer) <= ANSWER_MAX:
        raise BuyerActionError(f"Hãy ghi lý do từ chối cho người mua (5–{ANSWER_MAX} ký tự).", field="answer")
    if len(answer) > ANSWER_MAX:
        raise BuyerActionError(f"Lời nhắn tối đa {ANSWER_MAX} ký tự.", field="answer")
    with transaction.atomic():
        locked = (
            ReturnRequest.objects.select_for_update()
            .select_related("shop_order__order", "shop_order__shop__producer__owner")
            .get(pk=return_request.pk)
        )
        shop_order = locked.shop_order
        require_can_manage(actor, shop_order.shop.producer)
        if locked.state != ReturnRequest.State.REQUESTED:
            raise BuyerActionError("Yêu cầu này đã được trả lời.")
        owner = shop_order.shop.producer.owner
        if accept:
            shop_order = advance(shop_order=shop_order, to=Status.RETURNED, actor=actor, on_behalf_of=owner)
            text = f"Tay Bac Hub: gian hang dong y tra don {display(shop_order.code)}."
            text += _refund_text(refundable(shop_order=shop_order))
        else:
            text = f"Tay Bac Hub: gian hang tu choi tra don {display(shop_order.code)}. Ly do: {answer}"
        locked.state = ReturnRequest.State.ACCEPTED if accept else ReturnRequest.State.REJECTED
        locked.answer, locked.answered_by, locked.answered_at = answer, actor, timezone.now()
        locked.save(update_fields=["state", "answer", "answered_by", "answered_at"])
        audit.record(
            actor=actor,
            on_behalf_of=owner,
            action=f"shop_order.return_{locked.state}",
            target=shop_order,
            detail={"answer": answer[:200]},
        )
        outbox.enqueue([outbox.sms(phone=shop_order.order.contact_phone, text=text[:300])])
    return locked
