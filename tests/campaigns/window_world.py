"""A shop with a crop that takes pre-orders, a cheaper substitute in stock, a pickup point and an open window,
built through the real services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from taybac.accounts.models import User
from taybac.campaigns.window_models import SalesWindow
from taybac.campaigns.window_services import open_window
from taybac.catalog.models import Shop, Variant
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop


@dataclass
class WindowWorld:
    shop: Shop
    owner: User
    plum: Variant
    tea: Variant
    point: PickupPoint
    window: SalesWindow


def window_world(*, quota: int = 10, payment: str = "full", deposit_percent: int = 100) -> WindowWorld:
    shop = make_shop(name="HTX Mận Mộc Châu", province_code=14)
    harvest = datetime.date.today() + datetime.timedelta(days=40)
    plum = make_product(
        shop=shop, name="Mận hậu", category_slug="mat-ong", price=60_000, quantity=0,
        preorder_allowed=True, next_harvest=harvest,
    ).variants.get()  # fmt: skip
    tea = make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", price=50_000, quantity=30)
    point = PickupPoint.objects.create(
        code="BD-WIN",
        name="Bưu điện xã Hoàn Kiếm",
        address=create_address(province_code=1, commune_code=70, street="1 Hàng Bạc"),
    )
    owner = shop.producer.owner
    now = timezone.now()
    window = open_window(
        actor=owner, shop=shop, variant_id=plum.pk, title="Mận hậu vụ tháng 5",
        opens_at=now - datetime.timedelta(minutes=1), closes_at=now + datetime.timedelta(days=20),
        quota=quota, price=50_000, payment=payment, deposit_percent=deposit_percent,
        delivery_week=harvest,
    )  # fmt: skip
    return WindowWorld(shop, owner, plum, tea.variants.get(), point, window)
