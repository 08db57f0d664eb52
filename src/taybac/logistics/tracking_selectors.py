"""Reads for showing a parcel's journey: the shipment a carrier's webhook names, and an order's timeline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Prefetch

from taybac.logistics.models_shipping import Shipment, ShipmentStatus
from taybac.orders.models import ShopOrder

CARRIER_NAMES = {
    "hub": "Bưu điện xã (mạng Tây Bắc Hub)",
    "ghn": "Giao Hàng Nhanh (GHN)",
    "ghtk": "Giao Hàng Tiết Kiệm (GHTK)",
    "vnpost": "Vietnam Post",
}
# The carriers' own public tracking pages (no sign-in); the hub network is tracked on our order page itself.
PUBLIC_TRACKING = {
    "ghn": "https://donhang.ghn.vn/?order_code={code}",
    "ghtk": "https://i.ghtk.vn/{code}",
}
S = ShipmentStatus
# For list pages: `ShopOrder` querysets add this so each order's timeline costs no query of its own.
SHIPMENTS = Prefetch("shipments", queryset=Shipment.objects.order_by("-created_at", "-id").prefetch_related("events"))


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    at: datetime.datetime
    description: str


@dataclass(frozen=True)
class Timeline:
    """One shipment as people read it: who carries it, its code, where it is now, its events newest first."""

    carrier: str
    carrier_name: str
    tracking_code: str
    status: str
    status_label: str
    public_url: str
    steps: list[Step]


def shipment_for(*, carrier: str, tracking_code: str) -> Shipment | None:
    """The shipment a carrier's message names (a carrier's codes are unique per carrier)."""
    return Shipment.objects.filter(carrier=carrier, tracking_code=tracking_code[:40]).first()


def stale_shipments(*, older_than: datetime.datetime, limit: int) -> list[Shipment]:
    """Third-party shipments still on their way that nothing updated since `older_than`, least recently first
    (the hub network's own events come from its post offices, not from polling)."""
    live = Shipment.objects.exclude(status__in=[S.DELIVERED, S.RETURNED, S.CANCELLED]).exclude(carrier="hub")
    return list(live.filter(updated_at__lt=older_than).order_by("updated_at", "id")[:limit])


def _step(status: str, at: datetime.datetime, description: str) -> Step:
    """The carrier's own words only when they say more than our label (GHN repeats "Đang giao hàng")."""
    label = ShipmentStatus(status).label
    return Step(status, label, at, "" if description.strip().casefold() == label.casefold() else description)


def _timeline(shipments: list[Shipment]) -> Timeline | None:
    """The live shipment of one order (else its latest cancelled one); `shipments` newest first."""
    if not shipments:
        return None
    shipment = next((s for s in shipments if s.status != ShipmentStatus.CANCELLED), shipments[0])
    events = sorted(shipment.events.all(), key=lambda e: (e.at, e.pk), reverse=True)
    url = PUBLIC_TRACKING.get(shipment.carrier, "")
    return Timeline(
        carrier=shipment.carrier,
        carrier_name=CARRIER_NAMES.get(shipment.carrier, shipment.carrier.upper()),
        tracking_code=shipment.tracking_code,
        status=shipment.status,
        status_label=ShipmentStatus(shipment.status).label,
        public_url=url.format(code=quote(shipment.tracking_code, safe="")) if url else "",
        steps=[_step(e.status, e.at, e.description) for e in events],
    )


def timeline(*, shop_order: ShopOrder) -> Timeline | None:
    """One order's journey, None if it was never booked. Uses the `SHIPMENTS` prefetch when the queryset has it,
    else one query (two when it has a shipment)."""
    if "shipments" in getattr(shop_order, "_prefetched_objects_cache", {}):
        return _timeline(list(shop_order.shipments.all()))
    return _timeline(list(shop_order.shipments.order_by("-created_at", "-id").prefetch_related("events")))


def timelines_of_order(*, order_id: int) -> dict[int, Timeline]:
    """Every shop order's journey of one checkout, by shop order id, in one query (two when any was booked)."""
    found: dict[int, list[Shipment]] = {}
    rows = Shipment.objects.filter(shop_order__order_id=order_id).order_by("-created_at", "-id")
    for shipment in rows.prefetch_related("events"):
        found.setdefault(shipment.shop_order_id, []).append(shipment)
    return {pk: t for pk, shipments in found.items() if (t := _timeline(shipments)) is not None}
