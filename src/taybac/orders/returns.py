"""The buyer's side of an order after checkout: whose order it is, and asking to return a delivered shop order.

A return may be asked within RETURN_DAYS of delivery (the time the state machine recorded `delivered`, read
from the audit log every transition writes), once per shop order, with a reason. The shop answers it
(fulfilment/buyer.py: accept → `returned` and the payment becomes refundable; refuse with a reason); the shop's
owner is told by SMS now, the buyer when it answers.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import NotAllowed
from taybac.core import audit, outbox
from taybac.core.errors import DomainError
from taybac.core.models import AuditEntry
from taybac.orders.codes import display
from taybac.orders.models import Order, ReturnRequest, ShopOrder, Status

RETURN_DAYS = 7  # after delivery; the consumer-protection custom of Vietnamese marketplaces
REASON_MAX = 500


class ReturnError(DomainError):
    code = "return_refused"


def owns_order(*, order: Order, user: User | None) -> bool:
    """The signed-in buyer's own order: placed while signed in, or as a guest with the phone their sign-in code
    proved."""
    if user is None or not user.is_authenticated:
        return False
    return order.buyer_id == user.pk or (bool(user.phone) and order.contact_phone == user.phone)


def require_buyer(*, order: Order, actor: User | None, holds_link: bool) -> None:
    """Refuse anyone but the order's buyer: its signed-in owner, or a guest holding a fresh signed link (the
    interface checks the link; the link was only ever handed to whoever proved code + phone)."""
    if not (holds_link or owns_order(order=order, user=actor)):
        raise NotAllowed("Bạn không có quyền thao tác trên đơn hàng này.")


def delivered_at(*, shop_order: ShopOrder) -> datetime.datetime | None:
    """When the shop order became `delivered` (the state machine audits every transition)."""
    return (
        AuditEntry.objects.filter(
            target_type="orders.shoporder", target_id=str(shop_order.pk), action=f"shop_order.{Status.DELIVERED}"
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def return_deadline(*, shop_order: ShopOrder) -> datetime.datetime | None:
    """The last moment a return may be asked; None unless the shop order is delivered (and not yet answered)."""
    if shop_order.status != Status.DELIVERED:
        return None
    when = delivered_at(shop_order=shop_order)
    return when + datetime.timedelta(days=RETURN_DAYS) if when else None


def request_return(*, shop_order: ShopOrder, actor: User | None, holds_link: bool, reason: str) -> ReturnRequest:
    """Ask the shop to take a delivered shop order back and refund it; the shop's owner gets an SMS."""
    reason = " ".join((reason or "").split())
    if len(reason) < 5 or len(reason) > REASON_MAX:
        raise ReturnError(f"Hãy cho gian hàng biết lý do trả hàng (5–{REASON_MAX} ký tự).", field="reason")
    with transaction.atomic():
        locked = (
            ShopOrder.objects.select_for_update().select_related("order", "shop__producer__owner").get(pk=shop_order.pk)
        )
        require_buyer(order=locked.order, actor=actor, holds_link=holds_link)
        if ReturnRequest.objects.filter(shop_order=locked).exists():
            raise ReturnError(f"Đơn {display(locked.code)} đã có yêu cầu trả hàng.")
        deadline = return_deadline(shop_order=locked)
        if deadline is None:
            raise ReturnError("Chỉ yêu cầu trả hàng được sau khi đã nhận hàng.")
        if timezone.now() > deadline:
            raise ReturnError(f"Đã quá {RETURN_DAYS} ngày kể từ khi nhận hàng nên không thể yêu cầu trả hàng.")
        request = ReturnRequest.objects.create(
            shop_order=locked, reason=reason, requested_by=actor if actor and actor.is_authenticated else None
        )
        audit.record(actor=actor, action="shop_order.return_requested", target=locked, detail={"reason": reason[:200]})
        owner = locked.shop.producer.owner
        if owner.phone:
            outbox.enqueue(
                [
                    outbox.sms(
                        phone=owner.phone,
                        text=f"Tay Bac Hub: nguoi mua yeu cau tra don {display(locked.code)}. "
                        f"Tra loi: {settings.PUBLIC_URL}/ban-hang/tra-hang/",
                    )
                ]
            )
    return request
