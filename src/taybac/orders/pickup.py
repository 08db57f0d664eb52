"""Commune post offices (pickup points): staff record that a parcel arrived, then hand it to the buyer.

    shipped ──receive_at_pickup_point──▶ shipped, arrived ──hand_over_at_pickup_point──▶ delivered

Arrival is not a status of the state machine (the parcel is still "Đang giao" until the buyer collects it): it
is `ShopOrder.arrived_at_pickup`, set once under the shop order's row lock (and audited as
`shop_order.at_pickup`); the buyer's order page shows it. A second tap (or a second staff member) finds it set
and changes nothing, so the trace log gets one "receiving" event at the post office's GLN and the buyer one SMS. Only the staff of the order's own pickup point (`PickupPoint.staff`, assigned by operators
in the admin) may do either step.
"""
from __future__ import annotations

import re

from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from taybac.accounts.selectors import NotAllowed
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.orders import notifications
from taybac.orders.codes import display
from taybac.orders.lifecycle import advance
from taybac.orders.models import OrderLine, PaymentMethod, ShopOrder, Status
from taybac.payments.reconciliation import record_cash_on_delivery
from taybac.regions.models import PickupPoint
from taybac.traceability.services import record_order_step

AT_PICKUP = "shop_order.at_pickup"
MIN_SEARCH = 4  # characters of a code; "3479" read from the end of TB-ACDE-3479 is enough at one post office
PAGE_LIMIT = 200


class PickupError(DomainError):
    code = "pickup"


def was_received(shop_order: ShopOrder) -> bool:
    return shop_order.arrived_at_pickup is not None


def _lock(shop_order: ShopOrder, actor) -> tuple[ShopOrder, PickupPoint]:
    """The shop order, locked, and its pickup point if `actor` works there; else NotAllowed."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Vui lòng đăng nhập bằng tài khoản nhân viên bưu điện.")
    locked = (ShopOrder.objects.select_for_update(of=("self",)).select_related("order", "shop")
              .get(pk=shop_order.pk))
    point_id = locked.order.pickup_point_id
    point = (PickupPoint.objects.filter(pk=point_id, staff=actor)
             .select_related("address__commune", "address__province").first() if point_id else None)
    if point is None:
        raise NotAllowed(f"Đơn {display(locked.code)} không gửi đến bưu điện bạn làm việc.")
    return locked, point


def _not_here(shop_order: ShopOrder) -> PickupError:
    code = display(shop_order.code)
    if shop_order.status in (Status.PLACED, Status.AWAITING_PAYMENT, Status.CONFIRMED, Status.PACKED):
        return PickupError(f"Đơn {code} chưa được người bán gửi đi (đang “{shop_order.get_status_display()}”).")
    if shop_order.status in (Status.DELIVERED, Status.COMPLETED):
        return PickupError(f"Đơn {code} đã giao cho người mua rồi.")
    return PickupError(f"Đơn {code} đang “{shop_order.get_status_display()}”, không nhận tại bưu điện được.")


def receive_at_pickup_point(*, actor, shop_order: ShopOrder) -> ShopOrder:
    """The parcel is at the post office: one trace event (bizStep receiving at the office's GLN, for the lines
    that carry a lot), one audit entry, and the buyer is told on commit. Calling it again changes nothing."""
    with transaction.atomic():
        locked, point = _lock(shop_order, actor)
        if was_received(locked):
            return locked
        if locked.status != Status.SHIPPED:
            raise _not_here(locked)
        events = record_order_step(shop_order=locked, step="receiving", actor=actor, pickup_point=point)
        locked.arrived_at_pickup = timezone.now()
        locked.save(update_fields=["arrived_at_pickup"])
        audit.record(actor=actor, action=AT_PICKUP, target=locked,
                     detail={"pickup_point": point.code, "events": [event.event_id for event in events]})
        notifications.shop_order_at_pickup(locked, point)  # sent on commit
    return locked


def hand_over_at_pickup_point(*, actor, shop_order: ShopOrder, cash_collected: int | None = None) -> ShopOrder:
    """The buyer collected the parcel: `delivered` through the state machine (which logs the delivery event).

    Cash-on-delivery orders are paid at the counter: `cash_collected` is recorded as the cash payment and
    credited to the shop, as a courier's would be. A second call on a delivered order changes nothing.
    """
    with transaction.atomic():
        locked, point = _lock(shop_order, actor)
        if locked.status in (Status.DELIVERED, Status.COMPLETED):
            return locked
        if locked.status != Status.SHIPPED:
            raise _not_here(locked)
        if not was_received(locked):
            raise PickupError(f"Đơn {display(locked.code)} chưa được ghi nhận đến bưu điện: "
                              "bấm “Đã nhận hàng” khi kiện hàng đến.")
        if locked.order.payment_method == PaymentMethod.COD:
            if cash_collected is None:
                raise PickupError("Nhập số tiền đã thu của người mua.", field="cash")
            record_cash_on_delivery(shop_order=locked, amount=cash_collected, actor=actor)
        else:
            advance(shop_order=locked, to=Status.DELIVERED, actor=actor, note=f"Giao tại {point.code}")
        locked.status = Status.DELIVERED
    return locked


# Reads for the post-office page -----------------------------------------------------------------------------

def staff_points(user) -> list[PickupPoint]:
    """The pickup points where `user` works (none for everyone else)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(PickupPoint.objects.filter(staff=user).select_related("address__commune").order_by("name"))


def search_code(raw: str) -> str | None:
    """What a buyer reads aloud, as staff type it: 'tb-acde-3479', 'TBACDE3479', 'acde 3479', '3479' ->
    the upper-case letters and digits to look for; None when fewer than MIN_SEARCH remain."""
    text = re.sub(r"[^0-9A-Z]", "", (raw or "").upper())[:20]
    return text if len(text) >= MIN_SEARCH else None


def parcels(points: list[PickupPoint], *, code: str | None = None) -> QuerySet[ShopOrder]:
    """Shop orders for these points in one query: every shipped one, or with `code` (see search_code) those whose
    shop-order or order code contains it, in any status. Each has `items` (pieces in the parcel) annotated."""
    items = Subquery(OrderLine.objects.filter(shop_order=OuterRef("pk")).order_by().values("shop_order")
                     .annotate(n=Sum("quantity")).values("n")[:1])
    found = (ShopOrder.objects.filter(order__pickup_point__in=points).select_related("order", "shop")
             .annotate(items=items))
    if code:
        found = found.filter(Q(code__contains=code) | Q(order__code__contains=code))
    else:
        found = found.filter(status=Status.SHIPPED)
    return found.order_by("created_at", "id")[:PAGE_LIMIT]
