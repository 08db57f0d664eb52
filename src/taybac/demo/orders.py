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
from taybac.fulfilment.services import deliver_shop_order, pack_shop_order, ship_shop_order
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Order, PaymentMethod, ShopOrder, Status
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from taybac.reviews.models import Review
from taybac.reviews.services import write_review
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
    ensure_demo_review(point, created)


REVIEW_KEY = "demo-review-honey"
REVIEW_TEXT = "Mật ong bạc hà thơm, sánh, đúng vị Mèo Vạc. Shop gói hũ rất kỹ, giao đúng hẹn."


def ensure_demo_review(point: PickupPoint, created: Counter) -> None:
    """The demo buyer (signed in by phone) had a jar of the demo honey delivered home and gave it 5 stars, so cards
    and the product page show a rating and "Đã bán" (docs/reviews.md). Shipped without a lot: no trace events."""
    lot = Lot.objects.filter(code=ORDERS[0][1]).first()
    if lot is None or Review.objects.filter(order_line__shop_order__order__idempotency_key=REVIEW_KEY).exists():
        return
    buyer, _ = User.objects.get_or_create(
        phone="+84" + BUYER.phone[1:], defaults={"username": "+84" + BUYER.phone[1:], "full_name": BUYER.name}
    )
    address = point.address
    order = place_order(
        buyer=buyer,
        lines=[LineRequest(lot.variant_id, 1)],
        contact=BUYER,
        payment_method=PaymentMethod.COD,
        delivery_address=create_address(
            province_code=address.province_id, commune_code=address.commune_id, street="Tổ 5, phường Sa Pa"
        ),
        idempotency_key=REVIEW_KEY,
    )
    shop_order = order.shop_orders.select_related("shop__producer__owner").get()
    owner = shop_order.shop.producer.owner
    if shop_order.status == Status.CONFIRMED:
        shop_order = pack_shop_order(actor=owner, shop_order=shop_order)
    if shop_order.status == Status.PACKED:
        shop_order = ship_shop_order(actor=owner, shop_order=shop_order)
    if shop_order.status == Status.SHIPPED:
        deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)
    write_review(actor=buyer, line_id=shop_order.lines.get().pk, stars=5, text=REVIEW_TEXT)
    created["reviews"] += 1
