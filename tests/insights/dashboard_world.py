"""Known data for the indicator tests (queries and pages): four producers in Lào Cai and Sơn La, five orders
placed through checkout on chosen dates, two of them delivered through the order state machine.

Every figure the tests expect is written next to the row that makes it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from taybac.accounts.models import Producer, Role
from taybac.catalog.models import Shop
from taybac.catalog.services import create_shop, set_ocop_certificate
from taybac.core.models import AuditEntry
from taybac.insights.indicators import local_zone, month_start
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import ShopOrder
from taybac.regions.models import Commune
from taybac.regions.services import create_address
from tests.factories import make_producer, make_product, make_user

LAO_CAI, SON_LA, HA_NOI = 15, 14, 1


@dataclass
class World:
    today: datetime.date
    lao_cai_commune: int
    son_la_commune: int
    ha_noi_commune: int


def _shop(producer: Producer) -> Shop:
    return create_shop(actor=producer.owner, producer=producer, name=producer.name)


def _at(today: datetime.date, months_back: int, day: int = 1, hour: int = 9) -> datetime.datetime:
    first = month_start(today=today, months=months_back + 1)
    return datetime.datetime.combine(first.replace(day=day), datetime.time(hour), tzinfo=local_zone())


def _order(variant_id: int, qty: int, *, dest: int, method: str, placed: datetime.datetime, shipping: int) -> ShopOrder:
    commune = Commune.objects.filter(province_id=dest).order_by("code").first()
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant_id, qty)],
        contact=Contact("Trần Thị Lan", "0912345678"),
        payment_method=method,
        delivery_address=create_address(province_code=dest, commune_code=commune.pk, street="12 Hàng Bạc"),
    )
    so = order.shop_orders.get()
    if so.status == "awaiting_payment":
        so = advance(shop_order=so, to="confirmed", actor=None)
    ShopOrder.objects.filter(pk=so.pk).update(
        created_at=placed, shipping_fee=shipping, total=F("items_total") + shipping
    )
    so.refresh_from_db()
    return so


def _deliver(so: ShopOrder, *, after: datetime.timedelta) -> None:
    for step in ("packed", "shipped", "delivered"):
        so = advance(shop_order=so, to=step, actor=None)
    AuditEntry.objects.filter(
        target_type="orders.shoporder", target_id=str(so.pk), action="shop_order.delivered"
    ).update(created_at=so.created_at + after)


def build() -> World:
    """Lào Cai: household A (shop, honey 350,000 đ with a valid 4-star OCOP), household B (no shop), cooperative C
    (shop, tea 200,000 đ and tea bags whose OCOP expired). Sơn La: household D (shop, plums 100,000 đ)."""
    today = timezone.localdate()
    a = make_producer(name="Hộ A", province_code=LAO_CAI)
    make_producer(name="Hộ B", province_code=LAO_CAI)
    c = make_producer(name="HTX C", province_code=LAO_CAI, kind=Producer.Kind.COOPERATIVE)
    d = make_producer(name="Hộ D", province_code=SON_LA)
    honey = make_product(shop=_shop(a), name="Mật ong", category_slug="mat-ong", price=350_000, quantity=50)
    tea = make_product(shop=(c_shop := _shop(c)), name="Chè", category_slug="che", price=200_000, quantity=50)
    bags = make_product(shop=c_shop, name="Chè túi lọc", category_slug="che", price=90_000, quantity=50)
    plums = make_product(shop=_shop(d), name="Mận", category_slug="trai-cay", price=100_000, quantity=50)
    day = datetime.timedelta(days=1)
    set_ocop_certificate(actor=a.owner, product=honey, stars=4, issuer="UBND tỉnh Lào Cai", number="1",
                         issued_on=today - 300 * day, expires_on=today + 60 * day)  # fmt: skip
    set_ocop_certificate(actor=c.owner, product=bags, stars=3, issuer="UBND tỉnh Lào Cai", number="2",
                         issued_on=today - 900 * day, expires_on=today - day)  # fmt: skip
    v = {p: p.variants.get().pk for p in (honey, tea, plums)}
    # 1. A: 2 × honey = 700,000, COD, to Hà Nội, this month, shipping 35,000, delivered after 3 days.
    first = _order(v[honey], 2, dest=HA_NOI, method="cod", placed=_at(today, 0), shipping=35_000)
    _deliver(first, after=datetime.timedelta(days=3))
    # 2. A: 1 × honey = 350,000, VietQR, to Lào Cai, last month, shipping 18,000, delivered after 1 day.
    second = _order(v[honey], 1, dest=LAO_CAI, method="vietqr", placed=_at(today, 1, day=10), shipping=18_000)
    _deliver(second, after=datetime.timedelta(days=1))
    # 3. C: 3 × tea = 600,000, COD, to Hà Nội, two months ago, then cancelled: never counted.
    third = _order(v[tea], 3, dest=HA_NOI, method="cod", placed=_at(today, 2), shipping=30_000)
    advance(shop_order=third, to="cancelled", actor=None)
    # 4. D: 5 × plums = 500,000, VietQR, to Sơn La, this month, shipping 25,000, not delivered yet.
    _order(v[plums], 5, dest=SON_LA, method="vietqr", placed=_at(today, 0, hour=10), shipping=25_000)
    # 5. A: 1 × honey = 350,000, COD, to Hà Nội, 13 months ago (in the 24-month charts, not in the 12-month figures).
    _order(v[honey], 1, dest=HA_NOI, method="cod", placed=_at(today, 13), shipping=35_000)
    make_user(role=Role.BUYER)
    communes = {p: Commune.objects.filter(province_id=p).order_by("code").first().pk for p in (LAO_CAI, SON_LA, HA_NOI)}
    return World(today, communes[LAO_CAI], communes[SON_LA], communes[HA_NOI])
