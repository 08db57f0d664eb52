"""Packed orders with a carrier's shipment, for the tracking tests (fulfilment, web, e2e)."""

from __future__ import annotations

import datetime

from taybac.fulfilment.services import pack_shop_order
from taybac.logistics.carriers.base import TrackingEvent, TrackingStatus
from taybac.logistics.models_shipping import Shipment, ShipmentStatus
from taybac.orders.models import ShopOrder
from taybac.traceability.order_lots import assign_lots
from tests.fulfilment.parcels import harvest_for, placed_order

T0 = datetime.datetime(2025, 12, 8, 8, 0, tzinfo=datetime.UTC)


def packed_order(point=None, *, with_lot: bool = True, **placed) -> ShopOrder:
    """A shop order its seller packed (lot chosen) and that waits for the carrier, as booking leaves it."""
    shop_order = placed_order(point, **placed)
    owner = shop_order.shop.producer.owner
    if with_lot:
        assign_lots(actor=owner, shop_order=shop_order, lots={shop_order.lines.get().pk: harvest_for(shop_order).pk})
    return pack_shop_order(actor=owner, shop_order=shop_order)


def booked(shop_order: ShopOrder, *, carrier: str = "ghn", code: str = "LBK6PK", cod: int = 0, **fields) -> Shipment:
    """The shipment row booking stores (logistics/shipments.py), with its first event's status."""
    return Shipment.objects.create(
        shop_order=shop_order,
        carrier=carrier,
        service="53320",
        tracking_code=code,
        fee=36_300,
        cod_amount=cod,
        weight_g=1_200,
        **{"via": Shipment.Via.SELLER, "status": ShipmentStatus.CREATED, **fields},
    )


def event(status: str, minutes: int = 0, *, code: str = "LBK6PK", carrier_status: str = "", text: str = ""):
    return TrackingEvent(
        tracking_code=code,
        status=TrackingStatus(status),
        at=T0 + datetime.timedelta(minutes=minutes),
        carrier_status=carrier_status or status,
        description=text,
    )
