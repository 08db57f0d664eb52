"""Reads for the post-office page (/buu-dien/): where a member of staff works, and the parcels coming there."""

from __future__ import annotations

import re

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum

from taybac.accounts.models import User
from taybac.orders.models import OrderLine, ShopOrder, Status
from taybac.regions.models import PickupPoint

MIN_SEARCH = 4  # characters of a code; "3479" read from the end of TB-ACDE-3479 is enough at one post office
PAGE_LIMIT = 200


def staff_points(user: User) -> list[PickupPoint]:
    """The pickup points where `user` works (none for everyone else)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(PickupPoint.objects.filter(staff=user).select_related("address__commune").order_by("name"))


def search_code(raw: str) -> str | None:
    """What a buyer reads aloud, as staff type it: 'tb-acde-3479', 'TBACDE3479', 'acde 3479', '3479' ->
    the upper-case letters and digits to look for; None when fewer than MIN_SEARCH remain."""
    text = re.sub(r"[^0-9A-Z]", "", (raw or "").upper())[:20]
    return text if len(text) >= MIN_SEARCH else None


def parcels(points: list[PickupPoint], *, code: str | None = None) -> QuerySet[ShopOrder]:
    """Shop orders for these points in one query: every shipped one, or with `code` (see search_code) those whose
    shop-order or order code contains it, in any status. Each has `items` (pieces in the parcel) annotated."""
    items = Subquery(
        OrderLine.objects.filter(shop_order=OuterRef("pk"))
        .order_by()
        .values("shop_order")
        .annotate(n=Sum("quantity"))
        .values("n")[:1]
    )
    found = (
        ShopOrder.objects.filter(order__pickup_point__in=points).select_related("order", "shop").annotate(items=items)
    )
    if code:
        found = found.filter(Q(code__contains=code) | Q(order__code__contains=code))
    else:
        found = found.filter(status=Status.SHIPPED)
    return found.order_by("created_at", "id")[:PAGE_LIMIT]
