"""Trace events for an order's lots as the parcel moves: shipped, arriving, received at a post office, delivered,
returned. Recorded inside the caller's transaction, where taybac.fulfilment changes the order's status."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import can_manage
from taybac.orders.models import ShopOrder
from taybac.regions.models import PickupPoint
from taybac.traceability import keys, log
from taybac.traceability.epcis import build
from taybac.traceability.models import OrderLineLot, TraceEvent
from taybac.traceability.store import lot_quantity, store_hub_event


def record_order_step(
    *,
    shop_order: ShopOrder,
    step: str,
    actor: User | None,
    pickup_point: PickupPoint | None = None,
    read_point: str | None = None,
) -> list[TraceEvent]:
    """Shipping, arriving near the buyer, receiving at a post office, delivery, or the parcel back at the shop
    ("returned") of an order's lots, inside the caller's transaction (taybac.fulfilment composes it with the
    order's status change). `read_point` names who saw it (a carrier's URN) when that is not the place itself.

    `step` is "shipping", "arriving", "receiving", "delivery" or "returned". Lines without a lot (sold before
    lots were recorded) are skipped: the log only states what is known.
    """
    links = list(
        OrderLineLot.objects.filter(line__shop_order=shop_order)
        .select_related("line", "lot__variant")
        .order_by("line_id")
    )
    if not links:
        return []
    log.lock()
    biz_step, disposition = {
        "shipping": ("shipping", "in_transit"),
        "receiving": ("receiving", "in_progress"),
        "delivery": ("retail_selling", "retail_sold"),
        "arriving": ("arriving", "in_transit"),
        "returned": ("receiving", "returned"),
    }[step]
    where = keys.pickup_location(pickup_point) if pickup_point else keys.shop_location(shop_order.shop)
    order_ref = {"type": "po", "bizTransaction": f"urn:taybac:order:{shop_order.code}"}
    event = build.event(
        "ObjectEvent",
        when=timezone.localtime(),
        action="OBSERVE",
        quantityList=[lot_quantity(link.lot, link.line.quantity, packs=True) for link in links],
        biz_step=biz_step,
        disposition=disposition,
        biz_location=None if step in ("delivery", "arriving") else build.gln_uri(where.gln),
        read_point=read_point,
        bizTransactionList=[order_ref],
    )
    return [
        store_hub_event(
            event, actor=actor, lots=[link.lot for link in links], **_order_recorder(shop_order, actor, pickup_point)
        )
    ]


def _order_recorder(shop_order: ShopOrder, actor: User | None, pickup_point: PickupPoint | None) -> dict[str, Any]:
    """Who an order step is shown as recorded by: the post office its staff works at, the seller (or helper) for
    the producer, or, for the system and operators, the hub."""
    if actor is None or not actor.is_authenticated:
        return {}
    point_id = pickup_point.pk if pickup_point else shop_order.order.pickup_point_id
    point = PickupPoint.objects.filter(pk=point_id, staff=actor).first() if point_id else None
    if point is not None:
        return {"pickup_point": point}
    producer = shop_order.shop.producer
    return {"on_behalf_of": producer} if can_manage(actor, producer) else {}
