"""Demo orders for pickup at the demo post office, so `/buu-dien/` and a lot's full journey show on a fresh demo.

A buyer in Sa Pa orders the demo honey and the demo black tea for pickup at Bưu điện phường Sa Pa, cash on
delivery. Both are shipped by their producers with their demo lots (shipping events in the log); the tea has
already reached the post office (receiving event), the honey is still on its way. Everything goes through
the real services, with idempotency keys, so loading twice changes nothing.
"""

from __future__ import annotations

from collections import Counter

from taybac.accounts.models import User
from taybac.fulfilment.pickup import receive_at_pickup_point
from taybac.fulfilment.services import pack_shop_order, ship_shop_order
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Order, PaymentMethod, ShopOrder, Status
from taybac.regions.models import PickupPoint
from taybac.traceability.models import Lot

BUYER = Contact("Nguyễn Thu Hà", "0918000001")
# (idempotency key, lot code, quantity, received at the post office already)
ORDERS = (("demo-pickup-honey", "MV-BH-01", 2, False), ("demo-pickup-tea", "HSP-HT-01", 1, True))


def _ship(shop_order: ShopOrder, lot: Lot) -> None:
    """Cash on delivery starts confirmed: the producer picks the lot, packs and ships (skipped once shipped)."""
    if shop_order.status not in (Status.CONFIRMED, Status.PACKED):
        return
    owner = shop_order.shop.producer.owner
    if shop_order.status == Status.CONFIRMED:
        shop_order = pack_shop_order(actor=owner, shop_order=shop_order)
    ship_shop_order(actor=owner, shop_order=shop_order, lots={line.pk: lot.pk for line in shop_order.lines.all()})


def ensure_demo_orders(point: PickupPoint, clerk: User, created: Counter) -> None:
    for key, lot_code, quantity, received in ORDERS:
        lot = Lot.objects.select_related("variant").filter(code=lot_code).first()
        if lot is None:
            continue
        existed = Order.objects.filter(idempotency_key=key).exists()
        order = place_order(
            buyer=None,
            lines=[LineRequest(lot.variant_id, quantity)],
            contact=BUYER,
            payment_method=PaymentMethod.COD,
            pickup_point=point.code,
            idempotency_key=key,
        )
        if not existed:
            created["orders"] += 1
        shop_order = order.shop_orders.select_related("shop__producer__owner").get()
        _ship(shop_order, lot)
        if received:
            receive_at_pickup_point(actor=clerk, shop_order=shop_order)
