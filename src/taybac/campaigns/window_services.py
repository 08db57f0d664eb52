"""Harvest sales windows (docs/selling-events.md, "Harvest sales windows"): open, edit, close and cancel a window,
and pre-order in one.

A pre-order takes its units with one guarded UPDATE (`reserved + q <= quota`, window open, now within its dates)
and places the order through orders.checkout at the window price in the same transaction: if checkout refuses,
the units go back with the rollback, so concurrent pre-orders never exceed the quota. The window closes itself
when `reserved` reaches the quota, and lazily once `closes_at` has passed (window_selectors.close_expired).

Payment (the simplest design the payments code already supports): a "full" window takes VietQR (the usual
transfer hold) or cash on delivery like any checkout. A "deposit" window takes VietQR only: the buyer is asked
for `deposit` now with the checkout's code; the reconciliation records that partial transfer against the shop
order, which keeps waiting for the rest (its hold is lifted, so the expiry job leaves it alone). After harvest the
order page asks for the rest by VietQR; paying it confirms the order for shipping as usual. A deposit not paid by
harvest cancels the pre-order at confirmation (window_harvest.py).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.campaigns.window_models import SalesWindow, WindowPreorder
from taybac.catalog.models import Product, Shop, Variant
from taybac.catalog.services import set_harvest_quota
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.orders.checkout import MAX_QUANTITY, AddressInput, Contact, LineRequest, place
from taybac.orders.models import Order, PaymentMethod, ShopOrder

MAX_QUOTA = 1_000_000
MAX_DAYS = 180  # a window stays open at most this long
MAX_DELIVERY_WEEKS = 52  # delivery is expected within a year of closing


class WindowError(DomainError):
    """A window action that cannot be done; the message is for the producer or the buyer."""


class _Replayed(Exception):
    """The buyer's own replay of a pre-order: undo this call's units, answer with the first pre-order."""

    def __init__(self, preorder: WindowPreorder) -> None:
        self.preorder = preorder


def _int(value: object, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (low <= value <= high):
        raise WindowError(f"{label} phải là số nguyên từ {low:,} đến {high:,}.".replace(",", "."), field=field)
    return value


def _checked(
    *,
    variant: Variant,
    title: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    quota: int,
    price: int,
    payment: str,
    deposit_percent: int,
    delivery_week: datetime.date,
) -> dict[str, object]:
    """The window's fields, bounded. The price is at most the variant's own price (a pre-order is never dearer
    than buying later; checkout enforces the same for every event price)."""
    title = (title or "").strip()
    if not (3 <= len(title) <= 120):
        raise WindowError("Tên đợt bán từ 3 đến 120 ký tự.", field="title")
    _int(quota, field="quota", label="Số suất", low=1, high=MAX_QUOTA)
    _int(price, field="price", label="Giá đặt trước", low=1, high=variant.price)
    if payment not in SalesWindow.Payment.values:
        raise WindowError("Chọn trả đủ hoặc đặt cọc.", field="payment")
    if payment == SalesWindow.Payment.FULL:
        deposit_percent = 100
    _int(deposit_percent, field="deposit_percent", label="Phần trăm đặt cọc", low=10, high=100)
    if closes_at <= opens_at:
        raise WindowError("Ngày đóng phải sau ngày mở.", field="closes_at")
    if closes_at - opens_at > datetime.timedelta(days=MAX_DAYS):
        raise WindowError(f"Một đợt mở tối đa {MAX_DAYS} ngày.", field="closes_at")
    if closes_at <= timezone.now():
        raise WindowError("Ngày đóng đã qua.", field="closes_at")
    closing_day = timezone.localtime(closes_at).date()
    if delivery_week < closing_day or delivery_week > closing_day + datetime.timedelta(weeks=MAX_DELIVERY_WEEKS):
        raise WindowError("Tuần giao hàng phải sau ngày đóng đặt trước (trong vòng một năm).", field="delivery_week")
    monday = delivery_week - datetime.timedelta(days=delivery_week.weekday())
    return {
        "title": title,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "quota": quota,
        "price": price,
        "payment": payment,
        "deposit_percent": deposit_percent,
        "delivery_week": monday,
    }


def open_window(
    *,
    actor: User,
    shop: Shop,
    variant_id: int,
    title: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    quota: int,
    price: int,
    payment: str = SalesWindow.Payment.FULL,
    deposit_percent: int = 100,
    delivery_week: datetime.date,
) -> SalesWindow:
    """Open pre-orders for one of the shop's goods whose product takes pre-orders for an upcoming harvest; the
    variant's harvest quota grows by the window's quota so checkout can serve every pre-order."""
    require_can_manage(actor, shop.producer)
    variant = Variant.objects.select_related("product", "shop__producer").filter(pk=variant_id, shop=shop).first()
    if variant is None or not variant.is_active:
        raise WindowError("Chọn một sản phẩm đang bán của gian hàng.", field="variant")
    product = variant.product
    if product.kind != Product.Kind.GOODS or not product.preorder_allowed or not product.next_harvest:
        raise WindowError(
            "Sản phẩm này chưa nhận đặt trước: bật “Nhận đặt trước” và ngày thu hoạch ở trang sản phẩm.",
            field="variant",
        )
    fields = _checked(
        variant=variant,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        quota=quota,
        price=price,
        payment=payment,
        deposit_percent=deposit_percent,
        delivery_week=delivery_week,
    )
    with transaction.atomic():
        set_harvest_quota(actor=actor, variant=variant, quota=min(variant.harvest_quota + quota, MAX_QUOTA * 10))
        window = SalesWindow.objects.create(shop=shop, variant=variant, **fields)
        audit.record(actor=actor, on_behalf_of=shop.producer.owner, action="window.opened", target=window)
    return window


def edit_window(
    *,
    actor: User,
    window: SalesWindow,
    title: str,
    closes_at: datetime.datetime,
    quota: int,
    delivery_week: datetime.date,
) -> SalesWindow:
    """Rename, extend or shorten, change the quota (never below what is reserved) or the delivery week of an open
    window; price and payment stay as buyers saw them."""
    require_can_manage(actor, window.shop.producer)
    with transaction.atomic():
        locked = SalesWindow.objects.select_for_update().select_related("variant").get(pk=window.pk)
        if locked.status != SalesWindow.Status.OPEN:
            raise WindowError("Chỉ sửa được đợt đang mở.")
        fields = _checked(
            variant=locked.variant,
            title=title,
            opens_at=locked.opens_at,
            closes_at=closes_at,
            quota=quota,
            price=locked.price,
            payment=locked.payment,
            deposit_percent=locked.deposit_percent,
            delivery_week=delivery_week,
        )
        if quota < locked.reserved:
            raise WindowError(f"Đã có {locked.reserved} suất được đặt; không thể giảm dưới mức đó.", field="quota")
        if quota > locked.quota:
            variant = locked.variant
            set_harvest_quota(actor=actor, variant=variant, quota=variant.harvest_quota + quota - locked.quota)
        for name in ("title", "closes_at", "quota", "delivery_week"):
            setattr(locked, name, fields[name])
        locked.save(update_fields=["title", "closes_at", "quota", "delivery_week"])
        if locked.reserved >= locked.quota:
            _close(locked.pk)
        audit.record(actor=actor, action="window.edited", target=locked, detail={"quota": quota})
    locked.refresh_from_db()
    return locked


def _close(window_id: int) -> bool:
    """Open → closed, once (the caller's transaction)."""
    return bool(
        SalesWindow.objects.filter(pk=window_id, status=SalesWindow.Status.OPEN).update(
            status=SalesWindow.Status.CLOSED, closed_at=timezone.now()
        )
    )


def close_window(*, actor: User, window: SalesWindow) -> SalesWindow:
    """Stop taking pre-orders now; those placed wait for the harvest."""
    require_can_manage(actor, window.shop.producer)
    with transaction.atomic():
        if _close(window.pk):
            audit.record(actor=actor, action="window.closed", target=window)
    window.refresh_from_db()
    return window


def cancel_window(*, actor: User, window: SalesWindow, reason: str = "") -> SalesWindow:
    """Call the whole window off before harvest: every waiting pre-order is cancelled and what its buyer paid is
    refunded (window_harvest.refund_cancelled), all in one transaction."""
    from taybac.campaigns.window_harvest import settle_cancelled  # harvest builds on this module

    require_can_manage(actor, window.shop.producer)
    reason = (reason or "").strip()[:200]
    with transaction.atomic():
        locked = SalesWindow.objects.select_for_update().get(pk=window.pk)
        if locked.status == SalesWindow.Status.CANCELLED:
            return locked
        if locked.status == SalesWindow.Status.HARVESTED:
            raise WindowError("Đợt này đã thu hoạch, không thể huỷ.")
        locked.status = SalesWindow.Status.CANCELLED
        locked.closed_at = locked.closed_at or timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        for preorder in locked.preorders.filter(outcome=WindowPreorder.Outcome.WAITING).select_related("shop_order"):
            settle_cancelled(actor=actor, preorder=preorder, note=reason or "Đợt bán bị huỷ")
        audit.record(actor=actor, action="window.cancelled", target=locked, detail={"reason": reason})
    return locked


def deposit_for(*, window: SalesWindow, quantity: int) -> int:
    """What the buyer pays when ordering: the deposit share of the goods, rounded up to the đồng (the whole
    order, shipping included, for a full-payment window)."""
    goods = window.price * quantity
    return -(-goods * window.deposit_percent // 100)


def preorder(
    *,
    buyer: User | None,
    window: SalesWindow,
    quantity: int,
    name: str,
    phone: str,
    payment_method: str,
    pickup_point: str | None = None,
    delivery_address: AddressInput | None = None,
    session_key: str | None = None,
    idempotency_key: str | None = None,
    now: datetime.datetime | None = None,
) -> WindowPreorder:
    """Take `quantity` units of the window and place the order at the window price, in one transaction."""
    now = now or timezone.now()
    _int(quantity, field="quantity", label="Số lượng", low=1, high=MAX_QUANTITY)
    if window.payment == SalesWindow.Payment.DEPOSIT and payment_method != PaymentMethod.VIETQR:
        raise WindowError("Đợt này đặt cọc bằng chuyển khoản VietQR.", field="payment_method")
    try:
        return _preorder(
            buyer=buyer,
            window=window,
            quantity=quantity,
            contact=Contact(name=name, phone=phone),
            payment_method=payment_method,
            pickup_point=pickup_point,
            delivery_address=delivery_address,
            session_key=session_key,
            idempotency_key=idempotency_key,
            now=now,
        )
    except _Replayed as replay:
        return replay.preorder


@transaction.atomic
def _preorder(
    *,
    buyer: User | None,
    window: SalesWindow,
    quantity: int,
    contact: Contact,
    payment_method: str,
    pickup_point: str | None,
    delivery_address: AddressInput | None,
    session_key: str | None,
    idempotency_key: str | None,
    now: datetime.datetime,
) -> WindowPreorder:
    taken = (
        SalesWindow.objects.filter(
            pk=window.pk,
            status=SalesWindow.Status.OPEN,
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .alias(after=F("reserved") + quantity)
        .filter(after__lte=F("quota"))
        .update(reserved=F("reserved") + quantity)
    )
    if not taken:
        raise WindowError(_why_not(window.pk, quantity, now), field="quantity")
    placement = place(
        buyer=buyer,
        lines=[LineRequest(variant_id=window.variant_id, quantity=quantity)],
        contact=contact,
        payment_method=payment_method,
        pickup_point=pickup_point,
        delivery_address=delivery_address,
        session_key=session_key,
        idempotency_key=idempotency_key,
        unit_prices={window.variant_id: min(window.price, window.variant.price)},  # never above today's price
    )
    order = placement.order
    if placement.replayed:
        earlier = WindowPreorder.objects.filter(shop_order__order=order, window=window).first()
        if earlier is None:
            raise WindowError("Mã chống gửi trùng này đã dùng cho đơn khác.", field="idempotency_key")
        raise _Replayed(earlier)
    shop_order = ShopOrder.objects.get(order=order)
    deposit = shop_order.total
    if window.payment == SalesWindow.Payment.DEPOSIT:
        deposit = min(deposit_for(window=window, quantity=quantity), shop_order.total)
        shop_order.reserved_until = None  # waits for harvest: the expiry job leaves it alone
        shop_order.save(update_fields=["reserved_until"])
    created = WindowPreorder.objects.create(window=window, shop_order=shop_order, quantity=quantity, deposit=deposit)
    SalesWindow.objects.filter(pk=window.pk, status=SalesWindow.Status.OPEN, reserved__gte=F("quota")).update(
        status=SalesWindow.Status.CLOSED, closed_at=now
    )
    return created


def _why_not(window_id: int, quantity: int, now: datetime.datetime) -> str:
    current = SalesWindow.objects.get(pk=window_id)
    if current.status != SalesWindow.Status.OPEN or current.closes_at <= now:
        return "Đợt đặt trước này đã đóng."
    if current.opens_at > now:
        return "Đợt đặt trước này chưa mở."
    left = current.quota - current.reserved
    return f"Chỉ còn {left} suất." if left else "Đã hết suất đặt trước."


def cancel_preorder(*, actor: User, preorder: WindowPreorder) -> Order:
    """The producer cancels one waiting pre-order (a buyer's request by phone); its units return to the window."""
    from taybac.campaigns.window_harvest import cancel_and_return

    require_can_manage(actor, preorder.window.shop.producer)
    if not cancel_and_return(actor=actor, preorder=preorder, note="Huỷ theo yêu cầu"):
        raise WindowError("Đơn đặt trước này đã được xử lý rồi.")
    return preorder.shop_order.order
