"""Shops with hub-network parcels waiting in Lào Cai around Sa Pa, built through the real services: shared by the
pickup-run service, page and browser tests."""

from __future__ import annotations

import itertools
from decimal import Decimal

from taybac.accounts.models import Producer, User
from taybac.accounts.services import register_producer
from taybac.catalog.models import Shop
from taybac.catalog.services import create_shop
from taybac.logistics.models_shipping import SenderAddress
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import ShopOrder, Status
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from tests.factories import make_product, make_user

SA_PA, TA_VAN, BAC_HA, LAO_CAI = 3006, 3037, 2839, 2647  # commune codes (Lào Cai province, 15)
_keys = itertools.count(1)


def post_office(*, commune_code: int = SA_PA, staff: tuple[User, ...] = (), code: str = "") -> PickupPoint:
    point = PickupPoint.objects.create(
        code=code or f"BD-{commune_code}",
        name=f"Bưu điện {commune_code}",
        address=create_address(province_code=15, commune_code=commune_code, street="Trung tâm xã"),
        opening_hours="7:00–17:00",
    )
    point.staff.add(*staff)
    return point


def shop_at(
    name: str,
    *,
    commune_code: int = SA_PA,
    pin: tuple[float, float] | None = None,
    kind: str = Producer.Kind.HOUSEHOLD,
    owner: User | None = None,
) -> Shop:
    """A producer's shop in that commune (of Lào Cai unless the code is elsewhere), with a GPS pin if given."""
    producer = register_producer(user=owner or make_user(), name=name, kind=kind, commune_code=commune_code)
    shop = create_shop(actor=producer.owner, producer=producer, name=name)
    if pin is not None:
        SenderAddress.objects.create(shop=shop, latitude=Decimal(str(pin[0])), longitude=Decimal(str(pin[1])))
    return shop


def waiting_order(shop: Shop, *, quantity: int = 1, weight_grams: int = 1000, carrier: str = "hub") -> ShopOrder:
    """A confirmed cash-on-delivery order of `quantity` × a `weight_grams` product, for the `carrier` network."""
    product = make_product(shop=shop, name=f"Sản phẩm {next(_keys)}", weight_grams=weight_grams, quantity=500)
    order = place_order(
        buyer=None,
        lines=[LineRequest(product.variants.get().pk, quantity)],
        contact=Contact("Trần Thị Lan", "0912345678"),
        payment_method="cod",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    shop_order = order.shop_orders.get()
    if shop_order.status == Status.AWAITING_PAYMENT:
        advance(shop_order=shop_order, to=Status.CONFIRMED, actor=None)
    if carrier != "hub":
        ShopOrder.objects.filter(pk=shop_order.pk).update(shipping_carrier=carrier)
    shop_order.refresh_from_db()
    return shop_order
