"""Reads for pickup runs: which shops have hub-network parcels waiting to be collected, where each shop is, and a
stored run with its stops for the run sheet (docs/logistics.md, "Pickup runs").

A shop's place is its GPS pin (`SenderAddress`, set by the seller) when it has one, else its commune's reference
point from `vietnamadminunits` (`legacy_address.commune_coordinates`); the source is kept on each stop so the
sheet can tell the driver which one it is.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from taybac.accounts.models import Producer
from taybac.catalog.models import Shop
from taybac.core.errors import DomainError
from taybac.logistics.legacy_address import commune_coordinates
from taybac.logistics.models_planning import PickupRun, PickupStop
from taybac.logistics.models_shipping import Shipment, ShipmentStatus
from taybac.orders.models import OrderLine, ShopOrder, Status
from taybac.regions.models import PickupPoint

HUB_CARRIER = "hub"  # the hub's own network: the only carrier whose parcels our vehicles collect
WAITING = (Status.CONFIRMED, Status.PACKED)
# A post office collects from shops of its own province within this great-circle distance of its commune's point:
# about an hour each way at the routing's 30 km/h, so a run stays within a working day.
AREA_RADIUS_KM = 30.0
MAX_SHOPS = 5000  # shops with parcels waiting read for one plan (a province's sellers); beyond is a data problem
PLANNED = "logistics.pickup_run.planned"  # audit action
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Pickup:
    """One shop to visit: its parcels waiting for the hub network and where to find it."""

    shop: Shop
    parcels: int
    grams: int
    latitude: float
    longitude: float
    source: str  # PickupStop.Source


def distance_km(*, a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points, the routing's own measure."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def commune_point(*, commune_code: int) -> tuple[float, float]:
    """The commune's reference point; a DomainError for the (unexpected) commune without one."""
    point = commune_coordinates(commune_code)
    if point is None:
        raise DomainError("Xã/phường này chưa có toạ độ để lập chuyến lấy hàng.", code="no_coordinates")
    return point


def place_of(*, shop: Shop) -> tuple[float, float, str]:
    """(lat, lon, source): the seller's GPS pin when set, else the shop's commune point."""
    try:
        pin = shop.sender_address
    except ObjectDoesNotExist:
        pin = None
    if pin is not None and pin.latitude is not None and pin.longitude is not None:
        return float(pin.latitude), float(pin.longitude), PickupStop.Source.PIN
    lat, lon = commune_point(commune_code=shop.commune_id)
    return lat, lon, PickupStop.Source.COMMUNE


def depot_of(*, post_office: PickupPoint | None = None, cooperative: Producer | None = None) -> tuple[float, float]:
    """Where the vehicles leave from: the post office's commune point, or the cooperative's own shop (its pin if
    set) or, without a shop, its commune point."""
    if post_office is not None:
        return commune_point(commune_code=post_office.address.commune_id)
    assert cooperative is not None
    shop = Shop.objects.select_related("sender_address").filter(producer=cooperative).first()
    if shop is not None:
        lat, lon, _ = place_of(shop=shop)
        return lat, lon
    return commune_point(commune_code=cooperative.commune_id)


def member_producers(*, cooperative: Producer) -> QuerySet[Producer]:
    """The cooperative itself and the producers who let its owner manage their shop (a live delegation)."""
    return Producer.objects.filter(
        Q(pk=cooperative.pk) | Q(delegations__delegate_id=cooperative.owner_id, delegations__revoked_at__isnull=True)
    ).distinct()


def waiting_orders() -> QuerySet[ShopOrder]:
    """Shop orders for the hub network that a vehicle still has to collect: confirmed or packed, no live shipment
    past "created", and not on a stop that was collected after the order was placed and planned."""
    moved = Shipment.objects.filter(shop_order=OuterRef("pk")).exclude(
        status__in=[ShipmentStatus.CREATED, ShipmentStatus.CANCELLED]
    )
    collected = PickupStop.objects.filter(
        shop=OuterRef("shop"), collected_at__isnull=False, run__created_at__gte=OuterRef("created_at")
    )
    return (
        ShopOrder.objects.filter(status__in=WAITING, shipping_carrier=HUB_CARRIER)
        .exclude(Exists(moved))
        .exclude(Exists(collected))
    )


def _grouped(orders: QuerySet[ShopOrder]) -> dict[int, tuple[int, int]]:
    """shop id → (parcels, grams) in one grouped query: parcels are the shop's waiting orders, grams the sum of their
    lines' variant weight × quantity. At most MAX_SHOPS shops (a province's sellers, before the area is applied)."""
    rows = list(
        OrderLine.objects.filter(shop_order__in=orders)
        .values("shop_order__shop_id")
        .annotate(parcels=Count("shop_order_id", distinct=True), grams=Sum(F("variant__weight_grams") * F("quantity")))
        .order_by("shop_order__shop_id")
        .values_list("shop_order__shop_id", "parcels", "grams")[: MAX_SHOPS + 1]
    )
    if len(rows) > MAX_SHOPS:
        raise DomainError(
            f"Hơn {MAX_SHOPS} gian hàng có đơn chờ lấy: quá nhiều để lập một chuyến, liên hệ bộ phận vận hành.",
            code="too_many_shops",
        )
    return {shop_id: (parcels, grams or 0) for shop_id, parcels, grams in rows}


def pickups_for(*, post_office: PickupPoint | None = None, cooperative: Producer | None = None) -> list[Pickup]:
    """The shops a run must visit, by shop name: for a post office, shops of its province within AREA_RADIUS_KM of
    its commune point; for a cooperative, its own shop and its members' shops, wherever they are."""
    orders = waiting_orders()
    if post_office is not None:
        orders = orders.filter(shop__province_id=post_office.address.province_id)
        depot = depot_of(post_office=post_office)
    else:
        assert cooperative is not None
        orders = orders.filter(shop__producer__in=member_producers(cooperative=cooperative))
    grouped = _grouped(orders)
    shops = Shop.objects.filter(pk__in=grouped).select_related("sender_address", "producer__owner").order_by("name")
    pickups = []
    for shop in shops:
        lat, lon, source = place_of(shop=shop)
        if post_office is not None and distance_km(a=depot, b=(lat, lon)) > AREA_RADIUS_KM:
            continue
        parcels, grams = grouped[shop.pk]
        pickups.append(Pickup(shop, parcels, grams, lat, lon, source))
    return pickups


def day_run(
    *, day: datetime.date, post_office: PickupPoint | None = None, cooperative: Producer | None = None
) -> PickupRun | None:
    """The owner's run for that day with its stops (shop and producer's owner for the phone), or None."""
    owner = Q(post_office=post_office) if post_office is not None else Q(cooperative=cooperative)
    return (
        PickupRun.objects.filter(owner, day=day)
        .prefetch_related("stops__shop__producer__owner", "stops__shop__commune", "stops__shop__sender_address")
        .order_by("-id")
        .first()
    )


def run_start(*, run: PickupRun) -> str:
    """The "HH:MM" the run's vehicles leave; arrival_min counts from it."""
    return f"{run.start_min // 60:02d}:{run.start_min % 60:02d}"
