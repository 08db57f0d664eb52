"""Order reads for the buyer's pages and the API, with their joins declared once.

What was paid and is due lives in payments (payments/selectors.py builds on these); here only the orders.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from taybac.accounts.models import User
from taybac.orders.models import Order, OrderLine, ShopOrder

MY_ORDERS_LIMIT = 50


def shop_orders_with_lines() -> QuerySet[ShopOrder]:
    """Shop orders in id order with their shop and its place, and their lines (one prefetch query)."""
    return (
        ShopOrder.objects.select_related("shop__commune", "shop__province", "order")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")))
        .order_by("id")
    )


def orders_with_details(shop_orders: QuerySet[ShopOrder] | None = None) -> QuerySet[Order]:
    """Orders with where they go (address or pickup point) and their shop orders (`shop_orders` narrows or
    annotates them; by default shop_orders_with_lines()): three queries however many shops and lines."""
    return Order.objects.select_related(
        "delivery_address__commune", "delivery_address__province", "pickup_point__address__commune"
    ).prefetch_related(
        Prefetch("shop_orders", queryset=shop_orders if shop_orders is not None else shop_orders_with_lines())
    )


def orders_of_buyer(user: User, *, limit: int = MY_ORDERS_LIMIT) -> list[Order]:
    """A signed-in buyer's latest orders: those placed while signed in and those placed as a guest with the
    same phone (the phone was proven by the sign-in code); with their shop orders and shops, two queries."""
    mine = Q(buyer=user) | Q(contact_phone=user.phone) if user.phone else Q(buyer=user)
    return list(
        Order.objects.filter(mine)
        .order_by("-created_at", "-id")
        .prefetch_related(Prefetch("shop_orders", queryset=ShopOrder.objects.select_related("shop").order_by("id")))[
            :limit
        ]
    )
