"""Order writes after checkout: cancellation and expiry of unpaid reservations (stock goes back)."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.orders.models import ShopOrder, Status
from taybac.orders.stock import release

CANCELLABLE = {Status.PLACED, Status.AWAITING_PAYMENT, Status.CONFIRMED}


class OrderError(DomainError):
    """An order change that is not allowed; the message is for the user."""


def _release_lines(shop_order: ShopOrder) -> None:
    wanted = dict(shop_order.lines.values_list("variant_id").annotate(q=Sum("quantity")))
    release(wanted)


def cancel_shop_order(*, shop_order: ShopOrder, actor, reason: str = "") -> ShopOrder:
    """Cancel before packing; the reserved stock returns at once."""
    with transaction.atomic():
        locked = ShopOrder.objects.select_for_update().get(pk=shop_order.pk)
        if locked.status not in CANCELLABLE:
            raise OrderError(f"Đơn {locked.code} đang ở trạng thái “{locked.get_status_display()}”, không thể hủy.")
        before = locked.status
        locked.status = Status.CANCELLED
        locked.reserved_until = None
        locked.save(update_fields=["status", "reserved_until"])
        _release_lines(locked)
        audit.record(actor=actor, action="shop_order.cancelled", target=locked,
                     detail={"from": before, "reason": reason[:200]})
    return locked


def expire_reservations(*, now: datetime | None = None) -> int:
    """Cancel unpaid transfer orders whose hold has run out; returns how many were cancelled."""
    now = now or timezone.now()
    due = list(ShopOrder.objects.filter(status=Status.AWAITING_PAYMENT, reserved_until__lt=now)
               .values_list("pk", flat=True))
    expired = 0
    for pk in due:
        with transaction.atomic():
            locked = ShopOrder.objects.select_for_update().get(pk=pk)
            if locked.status != Status.AWAITING_PAYMENT or locked.reserved_until is None or locked.reserved_until >= now:
                continue  # paid or changed meanwhile
            locked.status = Status.CANCELLED
            locked.reserved_until = None
            locked.save(update_fields=["status", "reserved_until"])
            _release_lines(locked)
            audit.record(actor=None, action="shop_order.expired", target=locked)
            expired += 1
    return expired
