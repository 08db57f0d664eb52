"""Booking and cancelling a shop order's parcel with its carrier, and keeping the `Shipment` record of it.

The carrier is asked first, outside any database transaction (a carrier's answer may take seconds and cannot be
rolled back anyway); only when it has booked is the `Shipment` stored, with its first event, in one transaction.
A carrier error therefore stores nothing. Two submits racing for the same order are settled by the unique "one
live shipment per shop order" constraint: the loser cancels its own booking at the carrier and returns the
winner's shipment, so a double tap books one parcel.

Who may book is checked here as well as by the business actions above (fulfilment/shipments.py): the shop's
manager (owner or live delegation), or staff of the commune post office the parcel was dropped at.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import NotAllowed, can_manage
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.logistics import addressing
from taybac.logistics.carriers import configured
from taybac.logistics.carriers.base import (
    Address,
    Carrier,
    CarrierError,
    Parcel,
    Quote,
    ShipmentRequest,
    TrackingStatus,
)
from taybac.logistics.carriers.base import Shipment as Booking
from taybac.logistics.models import Shipment, ShipmentEvent, ShipmentStatus
from taybac.orders.models import PaymentMethod, ShopOrder, Status
from taybac.regions.models import PickupPoint

BOOKABLE = (Status.CONFIRMED, Status.PACKED)  # paid (or cash on delivery) and not yet on its way
CONTENT_LIMIT = 200
MAX_BOOKINGS = 10  # per shop order, cancelled ones included: each is a call to the carrier


class ShipmentError(DomainError):
    """A booking or cancellation the hub refuses; the message is for the seller or the post office."""

    code = "shipment"


def live_shipment(*, shop_order: ShopOrder) -> Shipment | None:
    """The order's shipment that is not cancelled, if any (there is at most one)."""
    return Shipment.objects.filter(shop_order=shop_order).exclude(status=ShipmentStatus.CANCELLED).first()


def parcel_for(*, shop_order: ShopOrder) -> Parcel:
    """Weight from the lines' variants, the goods' value, and the cash to collect when the buyer pays on delivery
    (everything the buyer owes: goods and shipping)."""
    weight = sum(line.variant.weight_grams * line.quantity for line in shop_order.lines.select_related("variant"))
    cod = shop_order.total if shop_order.order.payment_method == PaymentMethod.COD else 0
    return Parcel(weight_g=max(1, weight), value=shop_order.items_total, cod_amount=cod)


def destination_for(*, shop_order: ShopOrder) -> Address:
    """The buyer's delivery address, or the pickup point's address with the buyer named in its care."""
    order = shop_order.order
    if order.delivery_address_id:
        place = order.delivery_address
        name = order.contact_name
    else:
        assert order.pickup_point_id is not None  # an order has a delivery address or a pickup point (a constraint)
        point = PickupPoint.objects.select_related("address__commune__province").get(pk=order.pickup_point_id)
        place = point.address
        name = f"{order.contact_name} (nhận tại {point.name})"
    assert place is not None
    commune = place.commune
    return addressing.address(commune=commune, street=place.street, name=name, phone=order.contact_phone)


def _content(shop_order: ShopOrder) -> str:
    text = "; ".join(f"{line.product_name} – {line.variant_name} × {line.quantity}" for line in shop_order.lines.all())
    return text if len(text) <= CONTENT_LIMIT else text[: CONTENT_LIMIT - 1] + "…"


def _reference(shop_order: ShopOrder) -> str:
    """The order's code; a re-booking after a cancellation gets `-2`, `-3`…: carriers refuse a reference twice."""
    earlier = Shipment.objects.filter(shop_order=shop_order).count()
    return shop_order.code if earlier == 0 else f"{shop_order.code}-{earlier + 1}"


def request_for(*, shop_order: ShopOrder, service: str) -> ShipmentRequest:
    """What the carrier is asked to carry: from the shop to the buyer (or their pickup point), addressed with the
    carrier's own area codes where it has them (GHN, Vietnam Post)."""
    owner_phone = shop_order.shop.producer.owner.phone or ""
    carrier = shop_order.shipping_carrier
    return ShipmentRequest(
        reference=_reference(shop_order),
        service=service,
        origin=addressing.for_carrier(addressing.origin_for(shop=shop_order.shop, phone=owner_phone), carrier),
        destination=addressing.for_carrier(destination_for(shop_order=shop_order), carrier),
        parcel=parcel_for(shop_order=shop_order),
        content=_content(shop_order),
        note=f"Đơn {shop_order.code} – Tây Bắc Hub",
    )


def quote_for(*, shop_order: ShopOrder, carriers: Mapping[str, Carrier] | None = None) -> Quote:
    """What the chosen carrier charges today for the order's service, shown before booking (the buyer paid the
    checkout's figure; a third-party carrier may have changed its price since)."""
    carrier = _pick_carrier(carriers if carriers is not None else configured(), shop_order.shipping_carrier)
    request = request_for(shop_order=shop_order, service=shop_order.shipping_service)
    quotes = carrier.quote(origin=request.origin, destination=request.destination, parcel=request.parcel)
    chosen = next((q for q in quotes if q.service == shop_order.shipping_service), None)
    if chosen is None:
        raise ShipmentError("Hãng vận chuyển không còn dịch vụ người mua đã chọn cho kiện hàng này.", code="no_service")
    return chosen


def _check_actor(actor: User, shop_order: ShopOrder, via: str, origin_point: PickupPoint | None) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Vui lòng đăng nhập.")
    if via == Shipment.Via.SELLER:
        if not can_manage(actor, shop_order.shop.producer):
            raise NotAllowed("Bạn không quản lý gian hàng của đơn này.")
        return
    if via == Shipment.Via.POST_OFFICE:  # its staff, or an operator standing in for them (a pickup run's stop)
        if origin_point is None:
            raise NotAllowed("Bạn không làm việc tại bưu điện này.")
        if actor.role != Role.OPERATOR and not origin_point.staff.filter(pk=actor.pk).exists():
            raise NotAllowed("Bạn không làm việc tại bưu điện này.")
        return
    raise NotAllowed("Cách tạo vận đơn không hợp lệ.")


def _pick_carrier(carriers: Mapping[str, Carrier], code: str) -> Carrier:
    carrier = carriers.get(code)
    if carrier is None:
        raise ShipmentError(
            "Hãng vận chuyển người mua đã chọn hiện không dùng được. Liên hệ bộ phận vận hành Tây Bắc Hub.",
            code="carrier_not_configured",
        )
    return carrier


def book_shipment(
    *,
    actor: User,
    shop_order: ShopOrder,
    via: str = Shipment.Via.SELLER,
    origin_point: PickupPoint | None = None,
    carriers: Mapping[str, Carrier] | None = None,
    now: datetime.datetime | None = None,
) -> Shipment:
    """Book the order's parcel with the carrier and service the buyer chose, and store it with its "created"
    event. A live shipment with the same carrier and service is returned as it is (a repeated submit); any
    other live shipment is refused. Carrier errors are raised (`CarrierError`) and nothing is stored."""
    _check_actor(actor, shop_order, via, origin_point)
    existing = live_shipment(shop_order=shop_order)
    if existing is not None:
        if (existing.carrier, existing.service) == (shop_order.shipping_carrier, shop_order.shipping_service):
            return existing
        raise ShipmentError(f"Đơn {shop_order.code} đã có vận đơn {existing.tracking_code}: hủy vận đơn đó trước.")
    if shop_order.status not in BOOKABLE:
        raise ShipmentError(
            f"Đơn {shop_order.code} đang “{shop_order.get_status_display()}”: chỉ tạo vận đơn cho đơn đã xác nhận "
            "hoặc đã đóng gói."
        )
    if Shipment.objects.filter(shop_order=shop_order).count() >= MAX_BOOKINGS:
        raise ShipmentError(
            f"Đơn {shop_order.code} đã tạo và hủy vận đơn {MAX_BOOKINGS} lần: liên hệ bộ phận vận hành Tây Bắc Hub.",
            code="too_many_bookings",
        )
    carrier = _pick_carrier(carriers if carriers is not None else configured(), shop_order.shipping_carrier)
    request = request_for(shop_order=shop_order, service=shop_order.shipping_service)
    booked = carrier.create_shipment(request=request)
    try:
        return _store(actor, shop_order, via, origin_point, request, booked, now or timezone.now())
    except (IntegrityError, ShipmentError):
        _undo(carrier, booked.tracking_code)
        winner = live_shipment(shop_order=shop_order)
        if winner is None:
            raise
        return winner


def _undo(carrier: Carrier, tracking_code: str) -> None:
    """A booking nobody will use (a racing submit won, or the order moved): cancel it at the carrier. If the
    carrier cannot be reached the parcel was never handed over, so the booking simply expires there."""
    try:
        carrier.cancel(tracking_code=tracking_code)
    except CarrierError:
        pass


def _store(
    actor: User,
    shop_order: ShopOrder,
    via: str,
    origin_point: PickupPoint | None,
    request: ShipmentRequest,
    booked: Booking,
    now: datetime.datetime,
) -> Shipment:
    with transaction.atomic():
        locked = ShopOrder.objects.select_for_update().get(pk=shop_order.pk)
        if locked.status not in BOOKABLE:
            raise ShipmentError(f"Đơn {locked.code} vừa đổi sang “{locked.get_status_display()}”.")
        shipment = Shipment.objects.create(
            shop_order=locked,
            carrier=booked.carrier,
            service=request.service,
            tracking_code=booked.tracking_code,
            sort_code=booked.sort_code,
            status=ShipmentStatus.CREATED,
            fee=booked.fee,
            cod_amount=request.parcel.cod_amount,
            weight_g=request.parcel.weight_g,
            via=via,
            origin_point=origin_point,
            expected_delivery=booked.expected_delivery,
            created_by=actor,
        )
        ShipmentEvent.objects.create(
            shipment=shipment,
            status=TrackingStatus.CREATED.value,
            at=now,
            description="Đã tạo vận đơn" + (" tại bưu điện" if via == Shipment.Via.POST_OFFICE else ""),
            source=ShipmentEvent.Source.POST_OFFICE if via == Shipment.Via.POST_OFFICE else ShipmentEvent.Source.SELLER,
            key="created",
        )
        audit.record(
            actor=actor,
            on_behalf_of=locked.shop.producer.owner if via == Shipment.Via.SELLER else None,
            action="shipment.create",
            target=locked,
            detail={"carrier": shipment.carrier, "tracking_code": shipment.tracking_code, "via": via},
        )
    return shipment


def cancel_shipment(
    *,
    actor: User,
    shipment: Shipment,
    carriers: Mapping[str, Carrier] | None = None,
    now: datetime.datetime | None = None,
) -> Shipment:
    """Cancel a shipment the carrier has not picked up yet: at the carrier first, then here ("cancelled" and its
    event). A cancelled shipment is returned as it is; one already on its way is refused."""
    shop_order = shipment.shop_order
    if not can_manage(actor, shop_order.shop.producer):
        raise NotAllowed("Bạn không quản lý gian hàng của đơn này.")
    if shipment.status == ShipmentStatus.CANCELLED:
        return shipment
    if shipment.status != ShipmentStatus.CREATED:
        raise ShipmentError(
            f"Vận đơn {shipment.tracking_code} đang “{shipment.get_status_display()}”: hãng đã nhận hàng, "
            "không hủy được nữa."
        )
    carrier = (carriers if carriers is not None else configured()).get(shipment.carrier)
    if carrier is None:
        raise ShipmentError("Hãng vận chuyển của vận đơn này hiện không dùng được, chưa hủy được.")
    carrier.cancel(tracking_code=shipment.tracking_code)
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
        if locked.status == ShipmentStatus.CANCELLED:
            return locked
        locked.status = ShipmentStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        ShipmentEvent.objects.get_or_create(
            shipment=locked,
            key="cancelled",
            defaults={
                "status": TrackingStatus.CANCELLED.value,
                "at": now or timezone.now(),
                "description": "Người bán đã hủy vận đơn",
                "source": ShipmentEvent.Source.SELLER,
            },
        )
        audit.record(
            actor=actor,
            on_behalf_of=shop_order.shop.producer.owner,
            action="shipment.cancel",
            target=shop_order,
            detail={"carrier": locked.carrier, "tracking_code": locked.tracking_code},
        )
    return locked
