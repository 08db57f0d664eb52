"""Shop orders on their way, built through the real services: shared by the fulfilment tests and the
authorisation matrix (tests/security/conftest.py)."""

from __future__ import annotations

import datetime

from taybac.fulfilment.services import pack_shop_order, ship_shop_order
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import ShopOrder, Status
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from taybac.traceability.services import record_harvest
from tests.factories import make_product, make_shop


def make_point(code: str = "BD-70", name: str = "Bưu điện phường Hàng Bạc", staff=()) -> PickupPoint:
    point = PickupPoint.objects.create(
        code=code,
        name=name,
        opening_hours="7:00–17:00",
        address=create_address(province_code=1, commune_code=70, street="1 Hàng Bạc"),
    )
    point.staff.add(*staff)
    return point


def placed_order(
    point: PickupPoint | None,
    *,
    payment_method: str = "vietqr",
    quantity: int = 2,
    phone: str = "0912345678",
    name: str = "Trần Thị Lan",
    shop=None,
) -> ShopOrder:
    """A shop order for pickup at `point` (or home delivery when None), paid (or cash on delivery): the seller's
    next step is packing."""
    shop = shop or make_shop(name="HTX Chè Suối Giàng")
    variant = make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", quantity=20).variants.get()
    delivery = None if point else create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, quantity)],
        contact=Contact(name, phone),
        payment_method=payment_method,
        pickup_point=point.code if point else None,
        delivery_address=delivery,
    )
    shop_order = order.shop_orders.select_related("order", "shop__producer__owner").get()
    if shop_order.status == Status.AWAITING_PAYMENT:
        advance(shop_order=shop_order, to=Status.CONFIRMED, actor=None)  # what the bank reconciliation does
    shop_order.refresh_from_db()
    return shop_order


def harvest_for(shop_order: ShopOrder, quantity: int = 40):
    """A lot of the order's (single) variant, harvested today by its producer."""
    line = shop_order.lines.select_related("variant__shop__producer__owner").get()
    return record_harvest(
        actor=line.variant.shop.producer.owner,
        variant=line.variant,
        harvested_on=datetime.date.today(),
        quantity=quantity,
        unit="kg",
    )


def shipped_order(point: PickupPoint | None, *, with_lot: bool = True, **placed) -> ShopOrder:
    """A shop order (see placed_order) packed and shipped by its seller, with a lot on its line when `with_lot`."""
    shop_order = placed_order(point, **placed)
    owner = shop_order.shop.producer.owner
    lots = {shop_order.lines.get().pk: harvest_for(shop_order).pk} if with_lot else None
    pack_shop_order(actor=owner, shop_order=shop_order)
    return ship_shop_order(actor=owner, shop_order=shop_order, lots=lots)
