"""Hub-network shipments waiting at commune post offices, for the consolidation tests (store, job, pages).

Orders go through checkout; the shipment rows are written directly as the post office's drop-off records them
(logistics.Shipment is this domain's own table), with the weight and drop-off time each test needs."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from taybac.catalog.models import Variant
from taybac.logistics.models import Shipment
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.regions.models import Commune, PickupPoint
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop

LAO_CAI, SON_LA, HA_NOI = 15, 14, 1
_codes = itertools.count(1)


def commune_in(province: int, nth: int = 0) -> Commune:
    return Commune.objects.filter(province_id=province).order_by("code")[nth]


def post_office(code: str, province: int, *, name: str = "", staff=()) -> PickupPoint:
    commune = commune_in(province)
    point = PickupPoint.objects.create(
        code=code,
        name=name or f"Bưu điện {commune.name}",
        address=create_address(province_code=province, commune_code=commune.pk, street="Trung tâm xã"),
    )
    point.staff.add(*staff)
    return point


def stock(quantity: int = 500) -> Variant:
    shop = make_shop(name="HTX Chè Suối Giàng")
    return make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", quantity=quantity).variants.get()


def waiting_shipment(
    variant: Variant,
    point: PickupPoint | None,
    *,
    dest: int,
    weight_g: int = 1_000,
    carrier: str = "hub",
    status: str = "picked_up",
    days_ago: int = 0,
    dest_nth: int = 1,
) -> Shipment:
    """A shop order delivered to a commune of `dest`, its parcel taken in at `point` `days_ago` days ago (the
    post office's drop-off records it as picked up)."""
    commune = commune_in(dest, dest_nth)
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Trần Thị Lan", "0912345678"),
        payment_method="cod",
        delivery_address=create_address(province_code=dest, commune_code=commune.pk, street="12 Hàng Bạc"),
    )
    shop_order = order.shop_orders.get()
    shipment = Shipment.objects.create(
        shop_order=shop_order,
        carrier=carrier,
        service="standard",
        tracking_code=f"TB-GOM-{next(_codes):05d}",
        status=status,
        fee=shop_order.shipping_fee,
        weight_g=weight_g,
        via=Shipment.Via.POST_OFFICE,
        origin_point=point,
    )
    if days_ago:
        Shipment.objects.filter(pk=shipment.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
    return shipment
