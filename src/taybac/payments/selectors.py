"""Payment reads: what each shop order of an order has been paid, what is still due, and how to pay it.

The buyer's order page, its receipt and `GET /api/v1/orders/{code}` all show this; they read it here, in a
fixed number of queries (the order, its shop orders with their payments summed, their lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import QuerySet, Sum

from taybac.orders.models import Order, ShopOrder
from taybac.orders.selectors import order_for_buyer, orders_with_details, shop_orders_with_lines
from taybac.payments.requests import TransferRequest, transfer_request

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


@dataclass(frozen=True)
class ShopOrderDue:
    """One shop order with the money received for it and, while a transfer is awaited, the transfer to make."""

    shop_order: ShopOrder
    paid: int
    transfer: TransferRequest | None

    @property
    def due(self) -> int:
        return max(0, self.shop_order.total - self.paid)


@dataclass(frozen=True)
class OrderDue:
    order: Order
    parts: list[ShopOrderDue]

    @property
    def total(self) -> int:
        return sum(part.shop_order.total for part in self.parts)

    def part(self, shop_order_code: str) -> ShopOrderDue | None:
        return next((p for p in self.parts if p.shop_order.code == shop_order_code.upper()), None)


class _Paid(TypedDict):
    paid: int | None  # the sum of the shop order's payments; None before the first


def _shop_orders_with_paid() -> QuerySet[ShopOrder]:
    return shop_orders_with_lines().annotate(paid=Sum("payments__amount"))


def _paid(shop_order: ShopOrder) -> int:
    """What `_shop_orders_with_paid` summed (every caller of `_due` prefetches the shop orders with it)."""
    return cast("WithAnnotations[ShopOrder, _Paid]", shop_order).paid or 0


def _due(order: Order) -> OrderDue:
    parts = []
    for shop_order in order.shop_orders.all():
        paid = _paid(shop_order)
        parts.append(ShopOrderDue(shop_order=shop_order, paid=paid, transfer=transfer_request(shop_order, paid=paid)))
    return OrderDue(order=order, parts=parts)


def order_due_for_buyer(*, code: str, phone: str) -> OrderDue | None:
    """The order with this code and phone (see orders.selectors.order_for_buyer) with what is paid and due."""
    order = order_for_buyer(code=code, phone=phone, shop_orders=_shop_orders_with_paid())
    return _due(order) if order is not None else None


def order_due(order_id: int) -> OrderDue:
    """The same for an order by id (the answer to a checkout)."""
    return _due(orders_with_details(_shop_orders_with_paid()).get(pk=order_id))
