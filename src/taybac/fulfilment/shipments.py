"""Shipments as business actions: the seller books the parcel with the buyer's chosen carrier, or drops it at the
commune post office, which books it on the hub's network and takes it in at once.

When is an order "shipped"? At pick-up, not at booking, as on the big platforms (booking = "waiting for pickup").
Our state machine has no waiting state, so booking leaves the order `packed` (packing it if it was only
confirmed) and the first picked_up event moves it to `shipped`, with the lots' shipping trace event, through
`fulfilment.tracking.apply_shipment_events` (carrier webhooks and polls reach the same function). The lots of
each line are chosen when booking (as when shipping by hand), so that event names them.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Case, Exists, OuterRef, QuerySet, When
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import NotAllowed
from taybac.core.errors import DomainError
from taybac.fulfilment.services import FulfilmentError, _owner
from taybac.fulfilment.tracking import apply_shipment_events
from taybac.logistics.carriers.base import Carrier, TrackingEvent, TrackingStatus
from taybac.logistics.carriers.hub import HubNetwork
from taybac.logistics.models import PickupStop, Shipment, ShipmentStatus
from taybac.logistics.pickup_runs import mark_collected
from taybac.logistics.pickup_runs_selectors import waiting_orders
from taybac.logistics.shipments import BOOKABLE, book_shipment, cancel_shipment, live_shipment
from taybac.orders.codes import display
from taybac.orders.lifecycle import advance
from taybac.orders.models import ShopOrder, Status
from taybac.regions.models import PickupPoint
from taybac.traceability.order_lots import assign_lots

DROP_LIST_LIMIT = 100


def book_for_seller(
    *,
    actor: User,
    shop_order: ShopOrder,
    lots: Mapping[int, int | None] | None = None,
    carriers: Mapping[str, Carrier] | None = None,
) -> Shipment:
    """The seller (owner or helper) books the parcel: the lots chosen for its lines are recorded, the carrier
    books it, and a confirmed order becomes `packed`. A repeated submit returns the same shipment."""
    owner = _owner(actor, shop_order)
    if shop_order.status not in BOOKABLE:
        raise FulfilmentError(
            f"Đơn {display(shop_order.code)} đang “{shop_order.get_status_display()}”: "
            "chỉ tạo vận đơn cho đơn đã xác nhận hoặc đã đóng gói."
        )
    if lots:
        assign_lots(actor=actor, shop_order=shop_order, lots=dict(lots))
    had = live_shipment(shop_order=shop_order)
    shipment = book_shipment(actor=actor, shop_order=shop_order, carriers=carriers)
    try:
        with transaction.atomic():
            locked = ShopOrder.objects.select_for_update().get(pk=shop_order.pk)
            if locked.status == Status.CONFIRMED:
                advance(shop_order=locked, to=Status.PACKED, actor=actor, on_behalf_of=owner, note="Tạo vận đơn")
    except DomainError:
        if had is None:  # the order moved (cancelled) while booking: do not leave a booking behind
            cancel_shipment(actor=actor, shipment=shipment, carriers=carriers)
        raise
    return shipment


def cancel_for_seller(*, actor: User, shipment: Shipment, carriers: Mapping[str, Carrier] | None = None) -> Shipment:
    """The seller cancels a booking the carrier has not picked up; the order stays `packed`, to book again or
    ship by hand."""
    _owner(actor, shipment.shop_order)
    return cancel_shipment(actor=actor, shipment=shipment, carriers=carriers)


def drop_points(*, actor: User, shop_order: ShopOrder) -> list[PickupPoint]:
    """The post offices where `actor` works in the province of the order's shop: a producer brings parcels to a
    nearby post office (not always the one of their own commune), a cooperative brings its members' parcels to
    its own, and a post office's pickup run collects across commune borders."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(
        PickupPoint.objects.filter(staff=actor, is_active=True, address__province_id=shop_order.shop.province_id)
    )


def record_post_office_drop(*, actor: User, shop_order: ShopOrder, point: PickupPoint) -> Shipment:
    """Staff of a post office in the shop's province take in a parcel the seller brought ("Nhận gửi"): the order
    is booked on the hub's network from this post office (or the seller's own booking is used), packed if it was
    only confirmed, and picked up at once, which makes it `shipped` with its trace event. Doing it again on the
    same parcel changes nothing."""
    if point.pk not in {p.pk for p in drop_points(actor=actor, shop_order=shop_order)}:
        raise NotAllowed("Bưu điện của bạn không ở tỉnh của gian hàng này.")
    return _take_in(actor=actor, shop_order=shop_order, point=point, description=f"{point.name} đã nhận gửi")


def _take_in(*, actor: User, shop_order: ShopOrder, point: PickupPoint, description: str) -> Shipment:
    """`point` takes the parcel in (at its counter or on its pickup run); the caller has checked that `actor`
    works there."""
    if shop_order.shipping_carrier != HubNetwork.code:
        raise FulfilmentError(
            f"Đơn {display(shop_order.code)} gửi qua {shop_order.shipping_carrier.upper()}: "
            "người bán đưa hàng cho hãng đó, bưu điện không nhận gửi."
        )
    with transaction.atomic():
        shop_order = (
            ShopOrder.objects.select_for_update(of=("self",))
            .select_related("order", "shop__producer__owner")
            .get(pk=shop_order.pk)
        )
        existing = live_shipment(shop_order=shop_order)
        if existing is not None and existing.status != ShipmentStatus.CREATED:
            return existing  # already taken in (a double tap) or further along
        if shop_order.status == Status.CONFIRMED:
            advance(shop_order=shop_order, to=Status.PACKED, actor=actor, note=f"Nhận gửi tại {point.code}")
            shop_order.refresh_from_db(fields=["status"])
        shipment = book_shipment(actor=actor, shop_order=shop_order, via=Shipment.Via.POST_OFFICE, origin_point=point)
        if shipment.origin_point_id is None:  # the seller booked it; it was dropped here
            shipment.origin_point = point
            shipment.save(update_fields=["origin_point", "updated_at"])
        event = TrackingEvent(
            tracking_code=shipment.tracking_code,
            status=TrackingStatus.PICKED_UP,
            at=timezone.now(),
            carrier_status="post_office_drop",
            description=description,
            reference=shop_order.code,
        )
        apply_shipment_events(shipment=shipment, events=[event], source="post_office")
    shipment.refresh_from_db()
    return shipment


def collect_at_stop(*, actor: User, stop: PickupStop) -> PickupStop:
    """The vehicle collected a producer's parcels. On a post office's run each of the shop's waiting hub-network
    orders is taken in by that post office there and then (picked up → shipped, with the lots' trace event), as
    at its counter; a cooperative's vehicle only records the stop, its parcels are taken in when the cooperative
    brings them to the post office. All in one transaction; a second tap changes nothing."""
    with transaction.atomic():
        waiting = list(waiting_orders().filter(shop_id=stop.shop_id).order_by("id"))  # before the stop is marked
        stop = mark_collected(actor=actor, stop=stop)
        run = stop.run
        if run.post_office_id is not None:
            point = PickupPoint.objects.get(pk=run.post_office_id)
            for shop_order in waiting:
                _take_in(
                    actor=actor,
                    shop_order=shop_order,
                    point=point,
                    description=f"Xe của {point.name} đã lấy hàng tại {stop.shop.name}",
                )
    return stop


def drop_candidates(*, points: list[PickupPoint]) -> QuerySet[ShopOrder]:
    """Hub-network orders of shops in these post offices' provinces that wait to be dropped off: confirmed or
    packed, with no shipment the post office has taken in. The post offices' own communes first, then oldest
    first, bounded."""
    taken = Shipment.objects.filter(shop_order=OuterRef("pk")).exclude(
        status__in=(ShipmentStatus.CREATED, ShipmentStatus.CANCELLED)
    )
    communes = [p.address.commune_id for p in points]
    provinces = [p.address.province_id for p in points]
    return (
        ShopOrder.objects.filter(shop__province_id__in=provinces, status__in=BOOKABLE, shipping_carrier=HubNetwork.code)
        .exclude(Exists(taken))
        .annotate(local=Case(When(shop__commune_id__in=communes, then=0), default=1))
        .select_related("shop", "order")
        .order_by("local", "created_at", "id")[:DROP_LIST_LIMIT]
    )
