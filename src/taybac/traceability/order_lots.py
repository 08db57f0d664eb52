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
from taybac.traceability.models import Lot
from taybac.traceability.services import TraceError

OPEN = {Status.PLACED, Status.AWAITING_PAYMENT, Status.CONFIRMED, Status.PACKED}


@transaction.atomic
def assign_lots(*, actor: User, shop_order: ShopOrder, lots: dict[int, int | None]) -> list[OrderLine]:
    """Set `OrderLine.lot` for the lines named in `lots` (line id → lot id, None to clear).

    Each lot must be a lot of that line's variant; the actor must manage the shop. Returns the changed lines.
    """
    producer = shop_order.shop.producer
    require_can_manage(actor, producer)
    locked = ShopOrder.objects.select_for_update().get(pk=shop_order.pk)
    lines = {line.pk: line for line in locked.lines.all()}
    wanted = {lot_id for lot_id in lots.values() if lot_id is not None}
    found = {lot.pk: lot for lot in Lot.objects.filter(pk__in=wanted).select_related("variant")}
    changed = []
    for line_id, lot_id in sorted(lots.items()):
        line = lines.get(line_id)
        if line is None:
            raise TraceError("Dòng hàng không thuộc đơn này.", field="lots")
        lot = found.get(lot_id) if lot_id is not None else None
        if lot_id is not None and (lot is None or lot.variant_id != line.variant_id):
            raise TraceError(f"Lô đã chọn không phải lô của “{line.product_name} – {line.variant_name}”.",
                             field=f"lot_{line_id}")
        if line.lot_id != lot_id:
            line.lot = lot
            changed.append(line)
    if changed and locked.status not in OPEN:  # a repeat of what was already chosen is not a change
        raise TraceError(f"Đơn {locked.code} đã gửi đi: không đổi lô hàng được nữa.", field="lots")
    if changed:
        OrderLine.objects.bulk_update(changed, ["lot"])
        audit.record(actor=actor, on_behalf_of=producer.owner, action="shop_order.lots", target=locked,
                     detail={"lots": {str(line.pk): line.lot_id for line in changed}})
    return changed
