"""At harvest (docs/selling-events.md, "Harvest sales windows"): the producer confirms what came in; pre-orders are
filled first come, first served; each short buyer is told by SMS and chooses, on a token link that needs no
sign-in, a refund or a substitute of the same shop at the same or a lower price.

Every money change is recorded where the payments code keeps it: a Refund for what the buyer paid beyond the new
total (integer đồng, key `window-<preorder>-refund`, so a second submit records nothing), and a REFUND ledger
entry taking back the shop's sale credit for the units it could not deliver. A shortened order keeps its shop
order: its window line shrinks to the filled units (the rest go back to the harvest pool), its totals with it.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.campaigns.window_models import SalesWindow, WindowPreorder
from taybac.campaigns.window_services import WindowError
from taybac.catalog.models import Variant
from taybac.core import audit, outbox
from taybac.core.sms import money
from taybac.orders.lifecycle import advance
from taybac.orders.models import OrderLine, ShopOrder, Status
from taybac.orders.stock import OutOfStock, release, reserve
from taybac.payments.models import LedgerEntry
from taybac.payments.payouts import record_refund, refundable
from taybac.payments.reconciliation import paid_amount
from taybac.payments.withholding import rewithhold

CHOICE_DAYS = 30  # a choice link works this long
_SALT = "taybac.campaigns.window-choice"
Outcome = WindowPreorder.Outcome


def choice_token(*, preorder: WindowPreorder) -> str:
    return signing.dumps(preorder.pk, salt=_SALT, compress=True)


def preorder_for_token(*, token: str) -> WindowPreorder | None:
    """The pre-order a choice link is for; None for a forged, altered or expired link."""
    if not token or len(token) > 200:
        return None
    try:
        pk = signing.loads(token, salt=_SALT, max_age=CHOICE_DAYS * 86_400)
    except signing.BadSignature:
        return None
    return (
        WindowPreorder.objects.select_related("window__shop", "window__variant", "shop_order__order")
        .filter(pk=pk)
        .first()
    )


def choice_url(*, preorder: WindowPreorder) -> str:
    return f"{settings.PUBLIC_URL.rstrip('/')}/dat-truoc/chon/{choice_token(preorder=preorder)}/"


def confirm_harvest(*, actor: User, window: SalesWindow, harvested_quantity: int) -> SalesWindow:
    """Fill the pre-orders in the order they came while the harvest lasts; idempotent for the same quantity."""
    require_can_manage(actor, window.shop.producer)
    if isinstance(harvested_quantity, bool) or not isinstance(harvested_quantity, int):
        raise WindowError("Sản lượng phải là số nguyên.", field="harvested_quantity")
    if not (0 <= harvested_quantity <= 1_000_000):
        raise WindowError("Sản lượng từ 0 đến 1.000.000.", field="harvested_quantity")
    with transaction.atomic():
        locked = SalesWindow.objects.select_for_update().get(pk=window.pk)
        if locked.status == SalesWindow.Status.HARVESTED:
            if locked.harvested_quantity == harvested_quantity:
                return locked
            raise WindowError(f"Đã xác nhận thu hoạch {locked.harvested_quantity} rồi.", field="harvested_quantity")
        if locked.status == SalesWindow.Status.CANCELLED:
            raise WindowError("Đợt này đã huỷ.")
        left = harvested_quantity
        for preorder in locked.preorders.filter(outcome=Outcome.WAITING, filled_quantity__isnull=True):
            shop_order = ShopOrder.objects.select_for_update().get(pk=preorder.shop_order_id)
            if shop_order.status == Status.CANCELLED or (
                locked.payment == SalesWindow.Payment.DEPOSIT and paid_amount(shop_order=shop_order) < preorder.deposit
            ):
                settle_cancelled(actor=actor, preorder=preorder, note="Chưa đặt cọc khi thu hoạch")
                continue
            filled = min(preorder.quantity, left)
            left -= filled
            preorder.filled_quantity = filled
            if filled == preorder.quantity:
                preorder.outcome = Outcome.FILLED
                preorder.settled_at = timezone.now()
            preorder.save(update_fields=["filled_quantity", "outcome", "settled_at"])
            _tell(preorder, shop_order, locked)
        locked.status = SalesWindow.Status.HARVESTED
        locked.harvested_quantity = harvested_quantity
        locked.harvested_at = timezone.now()
        locked.closed_at = locked.closed_at or locked.harvested_at
        locked.save(update_fields=["status", "harvested_quantity", "harvested_at", "closed_at"])
        audit.record(actor=actor, action="window.harvested", target=locked, detail={"quantity": harvested_quantity})
    return locked


def _tell(preorder: WindowPreorder, shop_order: ShopOrder, window: SalesWindow) -> None:
    """One SMS to the buyer: ready (and the rest to pay), or short with the link to choose."""
    order = shop_order.order
    name = window.title[:40]
    if preorder.outcome == Outcome.FILLED:
        owed = shop_order.total - paid_amount(shop_order=shop_order)
        rest = f" Con phai tra {money(owed)}, xem don: {settings.PUBLIC_URL}/tra-cuu/?ma={order.code}" if owed else ""
        text = f"Tay Bac Hub: {name} da thu hoach, don {order.code} du hang, sap giao.{rest}"
    else:
        text = (
            f"Tay Bac Hub: {name} thieu hang, don {order.code} chi co {preorder.filled_quantity}/{preorder.quantity}."
            f" Chon hoan tien hoac doi hang: {choice_url(preorder=preorder)}"
        )
    outbox.enqueue([outbox.sms(phone=order.contact_phone, text=text)])


def settle_cancelled(*, actor: User | None, preorder: WindowPreorder, note: str) -> bool:
    """Cancel a waiting pre-order's shop order and refund what its buyer paid; False when already settled."""
    with transaction.atomic():
        locked = WindowPreorder.objects.select_for_update().get(pk=preorder.pk)
        if locked.outcome != Outcome.WAITING:
            return False
        shop_order = ShopOrder.objects.select_for_update().get(pk=locked.shop_order_id)
        if shop_order.status != Status.CANCELLED:
            advance(shop_order=shop_order, to=Status.CANCELLED, actor=actor, note=note)
        _refund(locked, shop_order, actor=actor, note=note)
        locked.outcome = Outcome.CANCELLED
        locked.filled_quantity = 0
        locked.settled_at = timezone.now()
        locked.save(update_fields=["outcome", "filled_quantity", "settled_at"])
    return True


def cancel_and_return(*, actor: User | None, preorder: WindowPreorder, note: str) -> bool:
    """Settle a waiting pre-order as cancelled and give its units back to the window, so other buyers can take them
    while it is open; False (and nothing changed) when it was already settled."""
    with transaction.atomic():
        if not settle_cancelled(actor=actor, preorder=preorder, note=note):
            return False
        SalesWindow.objects.filter(pk=preorder.window_id, reserved__gte=preorder.quantity).update(
            reserved=F("reserved") - preorder.quantity
        )
    return True


def release_lapsed(*, limit: int = 500) -> int:
    """Waiting pre-orders whose shop order was cancelled elsewhere (an unpaid transfer past its hold, a cancel by
    the buyer, the producer or an operator) are settled and their units returned; run every minute after the
    checkout's expiry job. At most `limit` a run, so a backlog never holds a long transaction."""
    lapsed = WindowPreorder.objects.filter(outcome=Outcome.WAITING, shop_order__status=Status.CANCELLED)
    done = 0
    for preorder in lapsed.order_by("id")[:limit]:
        done += cancel_and_return(actor=None, preorder=preorder, note="Đơn đặt trước đã huỷ")
    return done


def _refund(preorder: WindowPreorder, shop_order: ShopOrder, *, actor: User | None, note: str) -> int:
    """Record the refund of what the buyer is owed back now (0: nothing paid or owed)."""
    shop_order.refresh_from_db()
    owed = refundable(shop_order=shop_order)
    if owed:
        record_refund(
            shop_order=shop_order,
            amount=owed,
            reference=f"DAT-TRUOC-{preorder.window_id}-{preorder.pk}",
            key=f"window-{preorder.pk}-refund",
            actor=actor,  # type: ignore[arg-type]
            note=note,
        )
    return owed


def _shrink(shop_order: ShopOrder, line: OrderLine, short: int, *, add: int = 0) -> None:
    """Take `short` units off the window line (they go back to their pool), change the totals by what they cost
    less `add` (a substitute's price), and take the shop's sale credit for the difference back if it had one."""
    release([(line.variant_id, short, line.preorder)])
    if line.quantity == short:
        line.delete()
    else:
        line.quantity -= short
        line.line_total = line.unit_price * line.quantity
        line.save(update_fields=["quantity", "line_total"])
    less = line.unit_price * short - add
    shop_order.items_total -= less
    shop_order.total -= less
    shop_order.save(update_fields=["items_total", "total"])
    sold = LedgerEntry.objects.filter(shop_order=shop_order, kind=LedgerEntry.Kind.SALE).aggregate(s=Sum("amount"))
    if less and sold["s"]:
        LedgerEntry.objects.create(
            shop_id=shop_order.shop_id,
            shop_order=shop_order,
            kind=LedgerEntry.Kind.REFUND,
            amount=-less,
            note=f"Thiếu hàng đợt bán, đơn {shop_order.code}",
        )
        rewithhold(shop_order=shop_order)  # the tax withheld follows the new revenue (payments/withholding.py)


def substitutes_for(*, preorder: WindowPreorder) -> list[Variant]:
    """The shop's other goods on sale at the window price or lower with stock for the missing units."""
    window = preorder.window
    short = preorder.quantity - (preorder.filled_quantity or 0)
    return list(
        Variant.objects.offered()
        .in_stock(max(short, 1))
        .filter(shop_id=window.shop_id, price__lte=window.price)
        .exclude(pk=window.variant_id)
        .select_related("product")
        .order_by("-price", "pk")[:20]
    )


def choose(*, preorder: WindowPreorder, refund: bool, substitute_id: int | None = None) -> WindowPreorder:
    """The short buyer's choice: a refund of the missing units, or the same number of a substitute (charged at
    its own price, never above the window price; the difference refunded). A second choice changes nothing."""
    with transaction.atomic():
        locked = WindowPreorder.objects.select_for_update().select_related("window").get(pk=preorder.pk)
        if locked.outcome != Outcome.WAITING or locked.filled_quantity is None:
            return locked
        window = locked.window
        shop_order = ShopOrder.objects.select_for_update().select_related("order").get(pk=locked.shop_order_id)
        short = locked.quantity - locked.filled_quantity
        line = shop_order.lines.filter(variant_id=window.variant_id).first()
        if refund:
            if locked.filled_quantity == 0:
                advance(shop_order=shop_order, to=Status.CANCELLED, actor=None, note="Thiếu hàng, khách chọn hoàn")
                locked.outcome = Outcome.REFUNDED
            else:
                if line is not None:
                    _shrink(shop_order, line, short)
                locked.outcome = Outcome.PARTLY
            _refund(locked, shop_order, actor=None, note="Thiếu hàng đợt bán")
        else:
            chosen = next((v for v in substitutes_for(preorder=locked) if v.pk == substitute_id), None)
            if chosen is None or line is None:
                raise WindowError("Sản phẩm thay thế không còn, vui lòng chọn lại.", field="substitute")
            try:
                preordered = reserve({chosen.pk: short}, {chosen.pk: str(chosen)})
            except OutOfStock as error:
                raise WindowError(error.message, field="substitute") from None
            OrderLine.objects.create(
                shop_order=shop_order,
                shop_id=shop_order.shop_id,
                variant=chosen,
                product_name=chosen.product.name,
                variant_name=chosen.name,
                unit_price=chosen.price,
                quantity=short,
                line_total=chosen.price * short,
                preorder=chosen.pk in preordered,
            )
            _shrink(shop_order, line, short, add=chosen.price * short)
            _refund(locked, shop_order, actor=None, note="Đổi hàng, hoàn phần chênh lệch")
            locked.outcome = Outcome.SUBSTITUTED
            locked.substitute = chosen
        locked.settled_at = timezone.now()
        locked.save(update_fields=["outcome", "substitute", "settled_at"])
        audit.record(actor=None, action=f"window.preorder_{locked.outcome}", target=locked)
    return locked
