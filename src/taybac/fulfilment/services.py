"""What a seller does with a shop order once it is placed: pack, ship (with its lots), deliver (collecting cash
on delivery), cancel.

Each action is one service and one transaction, and checks inside that the actor manages the shop (audited
"on behalf of" its owner). Shipping and delivery compose three domains: the lots on the lines and the trace
event (traceability), the status change through the state machine (orders), the cash payment and the shop's
credit (payments). If any step refuses, none of them is kept: no status change without its trace event, no
cash recorded for an order that did not move.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.catalog.stats import record_sales
from taybac.core.errors import DomainError
from taybac.orders import notifications
from taybac.orders.lifecycle import advance
from taybac.orders.models import PaymentMethod, ShopOrder, Status
from taybac.payments.payouts import refundable
from taybac.payments.reconciliation import record_cash_on_delivery
from taybac.traceability.order_lots import assign_lots
from taybac.traceability.order_steps import record_order_step


class FulfilmentError(DomainError):
    """A step of an order's journey the hub refuses; the message is for the seller or post-office staff."""

    code = "fulfilment"


def _owner(actor: User, shop_order: ShopOrder) -> User:
    """Raise NotAllowed unless `actor` manages the order's shop; the owner is whom the audit names."""
    producer = shop_order.shop.producer
    require_can_manage(actor, producer)
    return producer.owner


def deliver(
    *,
    actor: User | None,
    shop_order: ShopOrder,
    cash_collected: int | None,
    on_behalf_of: User | None = None,
    note: str = "",
) -> ShopOrder:
    """`delivered`, inside the caller's transaction (the seller's and the post office's delivery share it).

    Cash-on-delivery orders record `cash_collected` as the cash payment, which moves the order and credits the
    shop (payments); other orders are already paid and `cash_collected` is not asked for. Then one delivery
    event in the trace log for the lines that carry a lot. `actor` is None when a carrier's event delivers it
    (taybac.fulfilment.tracking).
    """
    if shop_order.order.payment_method == PaymentMethod.COD:
        if cash_collected is None:
            raise FulfilmentError("Nhập số tiền đã thu của người mua.", field="cash")
        record_cash_on_delivery(shop_order=shop_order, amount=cash_collected, actor=actor, on_behalf_of=on_behalf_of)
    else:
        advance(shop_order=shop_order, to=Status.DELIVERED, actor=actor, on_behalf_of=on_behalf_of, note=note)
    delivered = ShopOrder.objects.select_related("order", "shop__producer").get(pk=shop_order.pk)
    record_order_step(shop_order=delivered, step="delivery", actor=actor)
    record_sales(units=delivered.lines.values_list("variant__product_id", "quantity"))  # "Đã bán" on cards
    return delivered


def pack_shop_order(*, actor: User, shop_order: ShopOrder) -> ShopOrder:
    """The parcel is packed and waits for the courier."""
    with transaction.atomic():
        owner = _owner(actor, shop_order)
        return advance(shop_order=shop_order, to=Status.PACKED, actor=actor, on_behalf_of=owner)


def ship_shop_order(*, actor: User, shop_order: ShopOrder, lots: Mapping[int, int | None] | None = None) -> ShopOrder:
    """The parcel leaves: the lots chosen for its lines (line id → lot id, None for none), `shipped` through the
    state machine (stock leaves the warehouse; the buyer is told on commit), and one shipping event in the
    trace log that names those lots."""
    with transaction.atomic():
        owner = _owner(actor, shop_order)
        if lots:
            assign_lots(actor=actor, shop_order=shop_order, lots=dict(lots))
        shipped = advance(shop_order=shop_order, to=Status.SHIPPED, actor=actor, on_behalf_of=owner)
        record_order_step(shop_order=shipped, step="shipping", actor=actor)
    return shipped


def deliver_shop_order(*, actor: User, shop_order: ShopOrder, cash_collected: int | None = None) -> ShopOrder:
    """The seller (or their courier) handed the parcel to the buyer; see `deliver` for cash on delivery."""
    with transaction.atomic():
        owner = _owner(actor, shop_order)
        return deliver(actor=actor, shop_order=shop_order, cash_collected=cash_collected, on_behalf_of=owner)


def cancel_shop_order(*, actor: User, shop_order: ShopOrder, reason: str = "") -> ShopOrder:
    """The seller cannot fill the order (before packing): its reserved stock returns at once, and the buyer is
    told by SMS (and e-mail) with what they paid, which the hub refunds (payments.payouts.refundable)."""
    with transaction.atomic():
        owner = _owner(actor, shop_order)
        cancelled = advance(shop_order=shop_order, to=Status.CANCELLED, actor=actor, on_behalf_of=owner, note=reason)
        notifications.shop_order_cancelled(cancelled, refund=refundable(shop_order=cancelled))  # sent on commit
        return cancelled
