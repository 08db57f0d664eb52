"""Commune post offices (pickup points): staff record that a parcel arrived, then hand it to the buyer.

    shipped ──receive_at_pickup_point──▶ shipped, arrived ──hand_over_at_pickup_point──▶ delivered

Arrival is not a status of the state machine (the parcel is still "Đang giao" until the buyer collects it): it
is `ShopOrder.arrived_at_pickup`, set once under the shop order's row lock (and audited as
`shop_order.at_pickup`); the buyer's order page shows it. A second tap (or a second staff member) finds it set
and changes nothing, so the trace log gets one "receiving" event at the post office's GLN and the buyer one SMS.
When the order has a shipment (the hub network), each step also goes on its tracking timeline
(fulfilment/tracking.py `record_post_office_step`). Only the staff of the order's own pickup point
(`PickupPoint.staff`, assigned by operators in the admin) may do either step. Each step is one transaction
composing orders, payments (cash at the counter) and traceability.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import NotAllowed
from taybac.core import audit
from taybac.fulfilment.services import FulfilmentError, deliver
from taybac.fulfilment.tracking import record_post_office_step
from taybac.logistics.models_shipping import ShipmentStatus
from taybac.orders import notifications
from taybac.orders.codes import display
from taybac.orders.models import ShopOrder, Status
from taybac.regions.models import PickupPoint
from taybac.traceability.order_steps import record_order_step

AT_PICKUP = "shop_order.at_pickup"


class PickupError(FulfilmentError):
    code = "pickup"


def was_received(*, shop_order: ShopOrder) -> bool:
    return shop_order.arrived_at_pickup is not None


def _lock(shop_order: ShopOrder, actor: User) -> tuple[ShopOrder, PickupPoint]:
    """The shop order, locked, and its pickup point if `actor` works there; else NotAllowed."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Vui lòng đăng nhập bằng tài khoản nhân viên bưu điện.")
    locked = ShopOrder.objects.select_for_update(of=("self",)).select_related("order", "shop").get(pk=shop_order.pk)
    point_id = locked.order.pickup_point_id
    point = (
        PickupPoint.objects.filter(pk=point_id, staff=actor)
        .select_related("address__commune", "address__province")
        .first()
        if point_id
        else None
    )
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


def receive_at_pickup_point(*, actor: User, shop_order: ShopOrder) -> ShopOrder:
    """The parcel is at the post office: one trace event (bizStep receiving at the office's GLN, for the lines
    that carry a lot), one audit entry, and the buyer is told on commit. Calling it again changes nothing."""
    with transaction.atomic():
        locked, point = _lock(shop_order, actor)
        if was_received(shop_order=locked):
            return locked
        if locked.status != Status.SHIPPED:
            raise _not_here(locked)
        events = record_order_step(shop_order=locked, step="receiving", actor=actor, pickup_point=point)
        locked.arrived_at_pickup = timezone.now()
        locked.save(update_fields=["arrived_at_pickup"])
        audit.record(
            actor=actor,
            action=AT_PICKUP,
            target=locked,
            detail={"pickup_point": point.code, "events": [event.event_id for event in events]},
        )
        notifications.shop_order_at_pickup(locked, point)  # sent on commit
        record_post_office_step(shop_order=locked, status=ShipmentStatus.AT_POST_OFFICE, point=point)
    return locked


def hand_over_at_pickup_point(*, actor: User, shop_order: ShopOrder, cash_collected: int | None = None) -> ShopOrder:
    """The buyer collected the parcel: `delivered` as in `fulfilment.services.deliver` (the delivery event in
    the log; cash-on-delivery orders are paid at the counter, `cash_collected` recorded and credited to the shop
    as a courier's would be). A second call on a delivered order changes nothing."""
    with transaction.atomic():
        locked, point = _lock(shop_order, actor)
        if locked.status in (Status.DELIVERED, Status.COMPLETED):
            return locked
        if locked.status != Status.SHIPPED:
            raise _not_here(locked)
        if not was_received(shop_order=locked):
            raise PickupError(
                f"Đơn {display(locked.code)} chưa được ghi nhận đến bưu điện: bấm “Đã nhận hàng” khi kiện hàng đến."
            )
        delivered = deliver(
            actor=actor, shop_order=locked, cash_collected=cash_collected, note=f"Giao tại {point.code}"
        )
        record_post_office_step(shop_order=delivered, status=ShipmentStatus.DELIVERED, point=point)
        return delivered
