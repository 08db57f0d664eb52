"""An open harvest sales window of a shop's first goods, for the API's tests (opened through the real service)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from taybac.campaigns.window_services import open_window
from taybac.catalog.models import Product, Shop, Variant


def open_window_for(shop: Shop) -> int:
    variant = Variant.objects.filter(shop=shop, product__kind=Product.Kind.GOODS).select_related("product").first()
    assert variant is not None
    harvest = datetime.date.today() + datetime.timedelta(days=40)
    Product.objects.filter(pk=variant.product_id).update(preorder_allowed=True, next_harvest=harvest)
    now = timezone.now()
    return open_window(
        actor=shop.producer.owner, shop=shop, variant_id=variant.pk, title="Vụ mới",
        opens_at=now - datetime.timedelta(minutes=1), closes_at=now + datetime.timedelta(days=10), quota=20,
        price=variant.price, delivery_week=harvest,
    ).pk  # fmt: skip
