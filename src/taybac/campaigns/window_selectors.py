"""Reading harvest sales windows for pages and the API (docs/selling-events.md, "Harvest sales windows")."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from taybac.campaigns.window_models import SalesWindow, WindowPreorder

SHOWN = (SalesWindow.Status.OPEN, SalesWindow.Status.CLOSED, SalesWindow.Status.HARVESTED)


def close_expired() -> int:
    """Windows past their closing time stop taking pre-orders (pre-orders check the dates themselves; this keeps
    the status honest for lists). Cheap: one UPDATE on the (status, closes_at) index; run on every list read."""
    now = timezone.now()
    return SalesWindow.objects.filter(status=SalesWindow.Status.OPEN, closes_at__lte=now).update(
        status=SalesWindow.Status.CLOSED, closed_at=now
    )


def public_windows() -> QuerySet[SalesWindow]:
    """Windows buyers may see, open ones first, newest first."""
    close_expired()
    return (
        SalesWindow.objects.filter(status__in=SHOWN, shop__is_active=True)
        .select_related("shop", "variant__product")
        .order_by("status", "-opens_at", "-pk")
    )


def open_windows_for(*, shop_id: int | None = None, product_id: int | None = None) -> list[SalesWindow]:
    """Open windows of one shop or one product, for its page (at most 5; one query: the dates are read, not
    the lazily updated status)."""
    now = timezone.now()
    found = SalesWindow.objects.filter(
        status=SalesWindow.Status.OPEN, shop__is_active=True, opens_at__lte=now, closes_at__gt=now
    ).select_related("variant__product")
    if shop_id is not None:
        found = found.filter(shop_id=shop_id)
    if product_id is not None:
        found = found.filter(variant__product_id=product_id)
    return list(found.order_by("closes_at", "pk")[:5])


def quota_left(window: SalesWindow) -> int:
    return max(window.quota - window.reserved, 0)


def percent_taken(window: SalesWindow) -> int:
    return min(100, window.reserved * 100 // window.quota) if window.quota else 100


def is_taking(window: SalesWindow) -> bool:
    now = timezone.now()
    return (
        window.status == SalesWindow.Status.OPEN
        and window.opens_at <= now < window.closes_at
        and quota_left(window) > 0
    )


def page_url(window: SalesWindow) -> str:
    return f"{settings.PUBLIC_URL.rstrip('/')}/dat-truoc/{window.pk}/"


def shop_windows(*, shop_id: int) -> QuerySet[SalesWindow]:
    close_expired()
    return SalesWindow.objects.filter(shop_id=shop_id).select_related("variant__product")[:100]


def preorders_of(window: SalesWindow) -> QuerySet[WindowPreorder]:
    return window.preorders.select_related("shop_order__order", "substitute__product").order_by("created_at", "pk")[
        :1000
    ]
