"""The parcel's carrier, code and journey on the buyer's and the seller's order pages
(templates/web/shipping/_tracking.html), without a query per order: the buyer's page reads its checkout's
shipments once (`order_timelines`), seller lists prefetch `logistics.tracking_selectors.SHIPMENTS`."""

from __future__ import annotations

from typing import Any

from django import template

from taybac.logistics.tracking_selectors import Timeline, timeline, timelines_of_order
from taybac.orders.models import Order, ShopOrder

register = template.Library()


@register.simple_tag
def order_timelines(order: Order) -> dict[int, Timeline]:
    """`{% order_timelines order as tracks %}`: the journeys of all the order's shop orders."""
    return timelines_of_order(order_id=order.pk)


@register.inclusion_tag("web/shipping/_tracking.html")
def shipment_tracking(
    shop_order: ShopOrder, tracks: dict[int, Timeline] | None = None, collapsed: bool = False
) -> dict[str, Any]:
    """`{% shipment_tracking so tracks %}` with what `order_timelines` read, or alone on a prefetched list."""
    found = tracks.get(shop_order.pk) if tracks is not None else timeline(shop_order=shop_order)
    return {"t": found, "collapsed": collapsed}
