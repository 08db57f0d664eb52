"""The shop-order state machine: only the transitions in TRANSITIONS are allowed, each one audited.

Checkout creates a shop order awaiting_payment (VietQR) or confirmed (cash on delivery); placed is only the
model's default. From each state (tests/orders/test_lifecycle.py checks this table against TRANSITIONS):

    placed            → awaiting_payment, confirmed, cancelled
    awaiting_payment  → confirmed, cancelled
    confirmed         → packed, cancelled
    packed            → shipped
    shipped           → delivered, returned
    delivered         → completed, returned
    completed, cancelled, returned: final

Cancelling (possible until packing) gives the reserved stock back; stock leaves the warehouse at shipping, and
a return (refused at the door, or sent back after delivery) does not change stock. Who may trigger a
transition is checked by the caller, not here. Shipping and delivery also log the lots' trace events and may
record cash on delivery: sellers and post offices reach them through taybac.fulfilment, which composes this
machine with payments and traceability in one transaction.
"""

from __future__ import annotations

from django.db import transaction

from taybac.accounts.models import User
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.orders import hooks, notifications
from taybac.orders.models import ShopOrder, Status
from taybac.orders.stock import release, ship
from taybac.orders.vouchers import release_if_cancelled

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PLACED: frozenset({Status.AWAITING_PAYMENT, Status.CONFIRMED, Status.CANCELLED}),
    Status.AWAITING_PAYMENT: frozenset({Status.CONFIRMED, Status.CANCELLED}),
    Status.CONFIRMED: frozenset({Status.PACKED, Status.CANCELLED}),
    Status.PACKED: frozenset({Status.SHIPPED}),
    Status.SHIPPED: frozenset({Status.DELIVERED, Status.RETURNED}),
    Status.DELIVERED: frozenset({Status.COMPLETED, Status.RETURNED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.RETURNED: frozenset(),
}


class TransitionError(DomainError):
    code = "invalid_transition"


def allowed_next(*, status: str) -> frozenset[str]:
    return TRANSITIONS[status]


def advance(
    *, shop_order: ShopOrder, to: str, actor: User | None, on_behalf_of: User | None = None, note: str = ""
) -> ShopOrder:
    """Move a shop order to `to` if the machine allows it; cancelling gives the reserved stock back.

    Stock leaves the warehouse at shipping (see stock.ship), so a cancelled or returned order never
    double-counts.
    """
    if to not in TRANSITIONS:
        raise TransitionError(f"Trạng thái không tồn tại: {to}.", field="status")
    with transaction.atomic():
        locked = ShopOrder.objects.select_for_update().get(pk=shop_order.pk)
        if to not in TRANSITIONS[locked.status]:
            raise TransitionError(
                f"Không thể chuyển đơn {locked.code} từ “{locked.get_status_display()}” sang “{Status(to).label}”.",
                field="status",
            )
        before = locked.status
        lines = list(locked.lines.values_list("variant_id", "quantity", "preorder"))
        if to == Status.CANCELLED:
            release(lines)
        if to == Status.SHIPPED:
            ship(lines)
        locked.status = to
        if to != Status.AWAITING_PAYMENT:
            locked.reserved_until = None
        locked.save(update_fields=["status", "reserved_until"])
        if to == Status.CANCELLED:
            release_if_cancelled(order_id=locked.order_id)  # the last shop order cancelled: the voucher is usable again
        audit.record(
            actor=actor,
            on_behalf_of=on_behalf_of,
            action=f"shop_order.{to}",
            target=locked,
            detail={"from": before, "note": note[:200]},
        )
        if to == Status.SHIPPED:
            notifications.shop_order_shipped(locked)  # sent on commit
        if to in (Status.CANCELLED, Status.RETURNED):
            hooks.shop_order_undone(locked)  # e.g. payments offsets the tax withheld on the sale
    return locked
