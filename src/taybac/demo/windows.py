"""The demo's harvest sales window (docs/selling-events.md, "Harvest sales windows"): a crop that takes
pre-orders for its coming harvest, open for three weeks at a tenth off, with one buyer's pre-order in it; the
first producer's own crop when it has one, so the demo seller sees the window in the seller centre."""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone

from taybac.campaigns.window_models import SalesWindow
from taybac.campaigns.window_services import open_window, preorder
from taybac.catalog.models import Product, Variant
from taybac.demo.plan import ProducerPlan
from taybac.regions.models import PickupPoint


def ensure_demo_window(plans: list[ProducerPlan], created: Counter) -> None:
    if SalesWindow.objects.exists():
        return
    today = timezone.localdate()
    crops = Variant.objects.filter(
        is_active=True, product__is_active=True, product__kind=Product.Kind.GOODS,
        product__preorder_allowed=True, product__next_harvest__gt=today,
    ).select_related("product", "shop__producer__owner").order_by("pk")  # fmt: skip
    variant = crops.filter(shop__producer__owner__phone=plans[0].phone).first() or crops.first()
    if variant is None:
        return
    harvest = variant.product.next_harvest or today
    now = timezone.now()
    window = open_window(
        actor=variant.shop.producer.owner, shop=variant.shop, variant_id=variant.pk,
        title=f"{variant.product.name}: đặt trước vụ mới", opens_at=now, closes_at=now + datetime.timedelta(days=21),
        quota=200, price=max(1_000, variant.price * 9 // 10 // 1_000 * 1_000),
        delivery_week=max(harvest, today + datetime.timedelta(days=28)),
    )  # fmt: skip
    point = PickupPoint.objects.filter(is_active=True).order_by("pk").first()
    if point is not None:
        preorder(
            buyer=None, window=window, quantity=3, name="Nguyễn Thị Hoa", phone="+84918000001",
            payment_method="cod", pickup_point=point.code, idempotency_key="demo-window-1",
        )  # fmt: skip
    created["sales windows"] += 1
