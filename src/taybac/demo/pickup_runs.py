"""Demo parcels waiting for the Sa Pa post office's pickup run, and today's run, so /buu-dien/chuyen-lay-hang/ shows
a run sheet on a fresh demo (and /ban-hang/chuyen-lay-hang/ for HTX Dược liệu Sa Pa).

Guests order from three shops around phường Sa Pa (HTX Dược liệu Sa Pa in the phường, Hộ Tẩn Thị Mẩy in xã Tả Phìn
~6 km away, HTX Dược liệu Bát Xát ~19 km away), cash on delivery to Hà Nội on the hub's network; nobody has
brought them to the post office yet, so they wait to be collected. The Sa Pa clerk then plans today's run for one
van. Orders go through the real services with idempotency keys, so loading twice adds no order; the run is
planned once a day (a second load the same day leaves it as it is).
"""

from __future__ import annotations

import logging
from collections import Counter

from django.utils import timezone

from taybac.catalog.models import Shop, Variant
from taybac.core.errors import DomainError
from taybac.logistics.pickup_runs import plan_pickup_run
from taybac.logistics.pickup_runs_selectors import day_run
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Order, PaymentMethod
from taybac.regions.models import Commune, PickupPoint
from taybac.regions.services import create_address

logger = logging.getLogger(__name__)

# (idempotency key, shop name, units)
ORDERS = (
    ("sapa-duoc-1", "HTX Dược liệu Sa Pa", 2),
    ("sapa-duoc-2", "HTX Dược liệu Sa Pa", 1),
    ("ta-phin-1", "Hộ Tẩn Thị Mẩy – lá tắm Dao đỏ", 3),
    ("bat-xat-1", "HTX Dược liệu Bát Xát", 2),
    ("bat-xat-2", "HTX Dược liệu Bát Xát", 1),
)
BUYER = Contact("Đỗ Quang Huy", "0918000003")
SA_PA_OFFICE = (15, "Phường Sa Pa")


def _variant(shop: Shop, units: int) -> Variant | None:
    """The shop's first goods variant on sale (a tour or a homestay is not collected by a van)."""
    return Variant.objects.filter(shop=shop, product__kind="goods").on_sale(units).order_by("pk").first()


def ensure_demo_pickup_run(created: Counter) -> None:
    """Place the waiting orders (once) and plan today's run of the Sa Pa post office."""
    hanoi = Commune.objects.filter(province_id=1, name="Phường Hoàn Kiếm").first()
    for key, shop_name, units in ORDERS:
        shop = Shop.objects.filter(name=shop_name).first()
        variant = _variant(shop, units) if shop is not None else None
        if variant is None or hanoi is None:
            continue
        idempotency_key = f"demo-pickup-run-{key}"
        existed = Order.objects.filter(idempotency_key=idempotency_key).exists()
        place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, units)],
            contact=BUYER,
            payment_method=PaymentMethod.COD,
            delivery_address=create_address(province_code=1, commune_code=hanoi.pk, street="Số 8, phố Hàng Trống"),
            idempotency_key=idempotency_key,
        )
        if not existed:
            created["pickup_run_orders"] += 1
    province, name = SA_PA_OFFICE
    commune = Commune.objects.filter(province_id=province, name=name).first()
    point = PickupPoint.objects.filter(code=f"BD-{commune.pk}").first() if commune else None
    clerk = point.staff.order_by("pk").first() if point else None
    if point is None or clerk is None or day_run(day=timezone.localdate(), post_office=point) is not None:
        return  # today's run is there already (maybe with stops collected): loading again leaves it
    try:
        plan_pickup_run(
            actor=clerk, day=timezone.localdate(), post_office=point, vehicles=1, capacity_kg=300, max_duration_min=480
        )
    except DomainError as error:  # e.g. nothing waits any more: the page then offers to plan
        logger.info("Demo pickup run not planned: %s", error.message)
        return
    created["pickup_runs"] += 1
