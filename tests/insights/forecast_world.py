"""Known weekly orders for the stored-forecast tests: one honey shop in Lào Cai, orders placed through checkout
at chosen local times (a Monday just after midnight, a Sunday just before it), plus a cancelled and an unpaid
order that never count. Every expected figure is written beside the row that makes it."""

from __future__ import annotations

import datetime

from django.db.models import F

from taybac.catalog.models import Product
from taybac.catalog.services import create_shop
from taybac.insights.indicators import local_zone
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import ShopOrder
from taybac.regions.models import Commune
from taybac.regions.services import create_address
from tests.factories import make_producer, make_product

LAO_CAI = 15
TODAY = datetime.date(2026, 6, 10)  # a Wednesday: the last complete week starts on Monday 1 June
LAST_WEEK = datetime.date(2026, 6, 1)


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=local_zone())


def honey_shop() -> Product:
    producer = make_producer(name="Hộ A", province_code=LAO_CAI)
    shop = create_shop(actor=producer.owner, producer=producer, name="Hộ A")
    return make_product(shop=shop, name="Mật ong", category_slug="mat-ong", price=100_000, quantity=500)


def order(product: Product, qty: int, placed: datetime.datetime, *, status: str = "confirmed") -> ShopOrder:
    """A COD order of `qty` units at `placed`; `status` cancelled cancels it, awaiting_payment leaves a VietQR
    order unpaid."""
    commune = Commune.objects.filter(province_id=LAO_CAI).order_by("code")[0]
    placed_order = place_order(
        buyer=None,
        lines=[LineRequest(product.variants.get().pk, qty)],
        contact=Contact("Trần Thị Lan", "0912345678"),
        payment_method="vietqr" if status == "awaiting_payment" else "cod",
        delivery_address=create_address(province_code=LAO_CAI, commune_code=commune.pk, street="12 Hàng Bạc"),
    )
    so = placed_order.shop_orders.get()
    if status == "cancelled":
        so = advance(shop_order=so, to="cancelled", actor=None)
    ShopOrder.objects.filter(pk=so.pk).update(created_at=placed, total=F("items_total") + F("shipping_fee"))
    so.refresh_from_db()
    return so


def weekly_history(product: Product) -> None:
    """Sales in 6 weeks from Monday 2 March 2026 to the week of 1 June (14 weeks, 8 of them without sales)."""
    for week, qty in ((0, 4), (2, 6), (5, 3), (7, 5), (10, 2), (13, 7)):
        order(product, qty, local(datetime.date(2026, 3, 2) + datetime.timedelta(weeks=week, days=2), 10))
