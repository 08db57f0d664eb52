"""Demo parcels waiting at two commune post offices and today's consolidation run, so the report
(/van-hanh/gom-hang/), the officer's view (Sơn La) and the post office's list (/buu-dien/gom-hang/) are not empty.

Guests order from the shops of phường Sa Pa (Lào Cai) and xã Yên Châu (Sơn La), cash on delivery, to Hà Nội, TP Hồ
Chí Minh and the region; the post office staff take each parcel in ("Nhận gửi hàng", fulfilment/shipments.py),
which books it on the hub's network from that post office. Then the day is planned as the 17:30 job would.
Everything goes through the real services with idempotency keys, so loading twice changes nothing but the run,
which is replaced by an identical one.
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from taybac.accounts.models import User
from taybac.catalog.models import Shop, Variant
from taybac.fulfilment.shipments import record_post_office_drop
from taybac.logistics.consolidation_store import run_consolidation
from taybac.logistics.models import ShipmentStatus
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import PaymentMethod
from taybac.regions.models import Commune, PickupPoint
from taybac.regions.services import create_address

# The Yên Châu post office's clerk (made up), beside the Sa Pa clerk of the loader (+84917000001).
YEN_CHAU_CLERK = ("Cầm Thị Hoa", "+84917000002")
# (key, post office's province and commune, destination province, destination commune name, units)
HA_NOI, HCM, SON_LA, LAO_CAI, PHU_THO = 1, 79, 14, 15, 25
PARCELS: tuple[tuple[str, int, str, int, str, int], ...] = (
    ("sapa-hn-1", LAO_CAI, "Phường Sa Pa", HA_NOI, "Phường Hoàn Kiếm", 1),
    ("sapa-hn-2", LAO_CAI, "Phường Sa Pa", HA_NOI, "Phường Cầu Giấy", 2),
    ("sapa-hn-3", LAO_CAI, "Phường Sa Pa", HA_NOI, "Phường Ba Đình", 1),
    ("sapa-hcm-1", LAO_CAI, "Phường Sa Pa", HCM, "Phường Sài Gòn", 1),
    ("sapa-hcm-2", LAO_CAI, "Phường Sa Pa", HCM, "Phường Bến Thành", 1),
    ("sapa-pt-1", LAO_CAI, "Phường Sa Pa", PHU_THO, "Phường Việt Trì", 1),
    ("sapa-lc-1", LAO_CAI, "Phường Sa Pa", LAO_CAI, "Phường Lào Cai", 1),
    ("yc-hn-1", SON_LA, "Xã Yên Châu", HA_NOI, "Phường Hoàn Kiếm", 2),
    ("yc-hn-2", SON_LA, "Xã Yên Châu", HA_NOI, "Phường Đống Đa", 1),
    ("yc-hn-3", SON_LA, "Xã Yên Châu", HA_NOI, "Phường Tây Hồ", 3),
    ("yc-pt-1", SON_LA, "Xã Yên Châu", PHU_THO, "Phường Việt Trì", 1),
)
BUYER = Contact("Phạm Minh Anh", "0918000002")


def _commune(province: int, name: str) -> Commune:
    """The commune by its 2025 name, else the province's first (the regions data always has one)."""
    found = Commune.objects.filter(province_id=province, name=name).first()
    return found or Commune.objects.filter(province_id=province).order_by("code")[0]


def _point(province: int, name: str) -> PickupPoint | None:
    return PickupPoint.objects.filter(code=f"BD-{_commune(province, name).code}").select_related("address").first()


def _yen_chau_clerk(point: PickupPoint, created: Counter) -> None:
    name, phone = YEN_CHAU_CLERK
    clerk, made = User.objects.get_or_create(phone=phone, defaults={"username": phone, "full_name": name})
    if not point.staff.filter(pk=clerk.pk).exists():
        point.staff.add(clerk)
    if made:
        created["pickup_staff"] += 1


def _variant(shop: Shop, units: int) -> Variant | None:
    return Variant.objects.filter(shop=shop).on_sale(units).order_by("pk").first()


def ensure_demo_consolidation(created: Counter) -> None:
    """Take in the demo parcels at their post offices (once) and plan today."""
    for key, province, office, dest, dest_commune, units in PARCELS:
        point = _point(province, office)
        shop = Shop.objects.filter(commune_id=point.address.commune_id).order_by("pk").first() if point else None
        if point is None or shop is None:
            continue
        if province == SON_LA:
            _yen_chau_clerk(point, created)
        clerk = point.staff.order_by("pk").first()
        variant = _variant(shop, units)
        if clerk is None or variant is None:
            continue
        commune = _commune(dest, dest_commune)
        order = place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, units)],
            contact=BUYER,
            payment_method=PaymentMethod.COD,
            delivery_address=create_address(
                province_code=commune.province_id, commune_code=commune.pk, street="Số 12, ngõ 5"
            ),
            idempotency_key=f"demo-consolidation-{key}",
        )
        shop_order = order.shop_orders.get()
        if shop_order.shipments.exclude(status=ShipmentStatus.CREATED).exists():
            continue  # taken in on an earlier load (and maybe on its way since)
        record_post_office_drop(actor=clerk, shop_order=shop_order, point=point)
        created["consolidation_parcels"] += 1
    run_consolidation(day=timezone.localdate())
