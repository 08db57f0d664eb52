"""Which lot each line of a shop order is shipped from, chosen by the seller when the parcel leaves.

`fulfilment.services.ship_shop_order` calls `assign_lots` in the same transaction as the move to "shipped",
before it logs the shipping event, so that event names the lots. Once an order has left, its lots are fixed:
the log has already said what was shipped.
"""

from __future__ import annotations

from django.db import transaction

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.core import audit
from taybac.orders.models import OrderLine, ShopOrder, Status
from taybac.traceability.models import Lot, OrderLineLot
from taybac.traceability.services import TraceError

OPEN = {Status.PLACED, Status.AWAITING_PAYMENT, Status.CONFIRMED, Status.PACKED}


def lots_of(shop_order: ShopOrder) -> dict[int, Lot]:
    """The lot each line of the order was (or will be) shipped from: line id → lot, lines without one left out."""
    return {
        link.line_id: link.lot
        for link in OrderLineLot.objects.filter(line__shop_order=shop_order).select_related("lot__variant")
    }


@transaction.atomic
def assign_lots(*, actor: User, shop_order: ShopOrder, lots: dict[int, int | None]) -> list[OrderLine]:
    """Record the lot of the lines named in `lots` (line id → lot id, None to clear) as `OrderLineLot` rows.

    Each lot must be a lot of that line's variant; the actor must manage the shop. Returns the changed lines.
    """
    producer = shop_order.shop.producer
    require_can_manage(actor, producer)
    locked = ShopOrder.objects.select_for_update().get(pk=shop_order.pk)
    lines = {line.pk: line for line in locked.lines.all()}
    current = {line_id: lot.pk for line_id, lot in lots_of(locked).items()}
    wanted = {lot_id for lot_id in lots.values() if lot_id is not None}
    found = {lot.pk: lot for lot in Lot.objects.filter(pk__in=wanted).select_related("variant")}
    changed: dict[int, int | None] = {}
    for line_id, lot_id in sorted(lots.items()):
        line = lines.get(line_id)
        if line is None:
            raise TraceError("Dòng hàng không thuộc đơn này.", field="lots")
        lot = found.get(lot_id) if lot_id is not None else None
        if lot_id is not None and (lot is None or lot.variant_id != line.variant_id):
            raise TraceError(
                f"Lô đã chọn không phải lô của “{line.product_name} – {line.variant_name}”.", field=f"lot_{line_id}"
            )
        if current.get(line_id) != lot_id:
            changed[line_id] = lot_id
    if changed and locked.status not in OPEN:  # a repeat of what was already chosen is not a change
        raise TraceError(f"Đơn {locked.code} đã gửi đi: không đổi lô hàng được nữa.", field="lots")
    if changed:
        OrderLineLot.objects.filter(line_id__in=changed).delete()
        OrderLineLot.objects.bulk_create(
            [OrderLineLot(line_id=line_id, lot_id=lot_id) for line_id, lot_id in changed.items() if lot_id is not None]
        )
        audit.record(
            actor=actor,
            on_behalf_of=producer.owner,
            action="shop_order.lots",
            target=locked,
            detail={"lots": {str(line_id): lot_id for line_id, lot_id in changed.items()}},
        )
    return [lines[line_id] for line_id in changed]
