"""A shop with two products, a pickup point and a live session, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from taybac.accounts.models import User
from taybac.campaigns.live_models import LiveSession
from taybac.campaigns.live_services import go_live, schedule_session
from taybac.catalog.models import Shop, Variant
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop


@dataclass
class LiveWorld:
    shop: Shop
    owner: User
    honey: Variant
    tea: Variant
    session: LiveSession
    point: PickupPoint


def live_world(*, live: bool = True) -> LiveWorld:
    shop = make_shop(name="Hộ Giàng A Páo", province_code=15)
    honey = make_product(shop=shop, name="Mật ong bạc hà", price=350_000, quantity=12).variants.get()
    tea = make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", price=220_000, quantity=30)
    point = PickupPoint.objects.create(
        code="BD-LIVE",
        name="Bưu điện xã Hoàn Kiếm",
        address=create_address(province_code=1, commune_code=70, street="1 Hàng Bạc"),
    )
    owner = shop.producer.owner
    session = schedule_session(
        actor=owner, shop=shop, title="Mật ong mùa mới", scheduled_start=timezone.now(),
        variant_ids=[honey.pk, tea.variants.get().pk],
    )  # fmt: skip
    if live:
        session = go_live(actor=owner, session=session, link="https://www.youtube.com/live/dQw4w9WgXcQ")
    return LiveWorld(shop, owner, honey, tea.variants.get(), session, point)
