"""Payment reads: what each shop order of an order has been paid, what is still due, and how to pay it — one
transfer for the whole checkout, and any over-payment held as a credit for the buyer.

The buyer's order page, its receipt and `GET /api/v1/orders/{code}` all show this; they read it here, in a
fixed number of queries (the order, its shop orders with their payments summed, their lines, its credits).
A seller's ledger and withheld tax, newest first, are read here for the copy of their data (taybac.compliance).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Q, QuerySet, Sum

from taybac.accounts.models import User
from taybac.accounts.phone import PhoneError, normalize_phone
from taybac.orders.models import Order, PaymentMethod, ShopOrder, Status
from taybac.orders.selectors import orders_with_details, shop_orders_with_lines
from taybac.payments.models import LedgerEntry
from taybac.payments.requests import TransferRequest, checkout_transfer, transfer_request
from taybac.payments.withholding_models import TaxWithholding

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

    @property
    def awaiting(self) -> bool:
        """Still waiting for (the rest of) its transfer: what the checkout's one transfer pays."""
        return (
            self.shop_order.order.payment_method == PaymentMethod.VIETQR
            and self.shop_order.status == Status.AWAITING_PAYMENT
            and self.due > 0
        )

    @property
    def partly_paid(self) -> bool:
        return self.awaiting and self.paid > 0


@dataclass(frozen=True)
class OrderDue:
    """An order's shop orders with what each received, the one transfer that pays what is still owed
    (None for cash, or once nothing is), and what the buyer over-paid (held for a refund)."""

    order: Order
    parts: list[ShopOrderDue]
    transfer: TransferRequest | None = None
    credit: int = 0

    @property
    def total(self) -> int:
        return sum(part.shop_order.total for part in self.parts)

    @property
    def paid(self) -> int:
        return sum(part.paid for part in self.parts)

    @property
    def owed(self) -> int:
        """What the shop orders awaiting a transfer still need; the amount of the checkout's transfer."""
        return sum(part.due for part in self.parts if part.awaiting)

    def part(self, shop_order_code: str) -> ShopOrderDue | None:
        return next((p for p in self.parts if p.shop_order.code == shop_order_code.upper()), None)


class _Credit(TypedDict):
    credit: int | None  # the buyer's credits not yet refunded, summed; None when there are none


class _Paid(TypedDict):
    paid: int | None  # the sum of the shop order's payments; None before the first


def _shop_orders_with_paid() -> QuerySet[ShopOrder]:
    return shop_orders_with_lines().annotate(paid=Sum("payments__amount"))


def _paid(shop_order: ShopOrder) -> int:
    """What `_shop_orders_with_paid` summed (every caller of `_due` prefetches the shop orders with it)."""
    return cast("WithAnnotations[ShopOrder, _Paid]", shop_order).paid or 0


def _orders() -> QuerySet[Order]:
    """Orders with their details, their shop orders' payments summed and their open credit summed (a join in
    the order's own query: no query more)."""
    open_credit = Sum("credits__amount", filter=Q(credits__refunded_at__isnull=True))
    return orders_with_details(_shop_orders_with_paid()).annotate(credit=open_credit)


def _due(order: Order) -> OrderDue:
    parts = []
    for shop_order in order.shop_orders.all():
        paid = _paid(shop_order)
        parts.append(ShopOrderDue(shop_order=shop_order, paid=paid, transfer=transfer_request(shop_order, paid=paid)))
    owed = sum(part.due for part in parts if part.awaiting)
    credit = cast("WithAnnotations[Order, _Credit]", order).credit or 0
    return OrderDue(order=order, parts=parts, transfer=checkout_transfer(order, owed=owed), credit=credit)


def order_due_for_buyer(*, code: str, phone: str) -> OrderDue | None:
    """The order with this code placed with this phone (any usual format) with what is paid and due; None for
    a wrong pair or a phone that is not one, so that callers answer a 404 and never a hint."""
    try:
        phone = normalize_phone(phone)
    except PhoneError:
        return None
    order = _orders().filter(code=code.upper(), contact_phone=phone).first()
    return _due(order) if order is not None else None


def order_due(order_id: int) -> OrderDue:
    """The same for an order by id (the answer to a checkout)."""
    return _due(_orders().get(pk=order_id))


def ledger_of_owner(*, owner: User, limit: int) -> list[LedgerEntry]:
    """At most `limit` ledger entries of the shops `owner` owns, newest first (never another shop's)."""
    return list(LedgerEntry.objects.filter(shop__producer__owner=owner).order_by("-created_at", "-id")[:limit])


def withholdings_of_owner(*, owner: User, limit: int) -> list[TaxWithholding]:
    """At most `limit` tax withholdings (and offsets) of the shops `owner` owns, newest first."""
    return list(TaxWithholding.objects.filter(shop__producer__owner=owner).order_by("-created_at", "-id")[:limit])
