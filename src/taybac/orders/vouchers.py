"""Vouchers (mã giảm giá): who creates them, what they take off a checkout, and how a redemption is kept within
its limits (docs/selling-events.md, "Vouchers").

Arithmetic, one rule: a percent voucher takes `floor(goods × percent / 100)` đồng, then its cap; a fixed one its
value; either never more than the goods it applies to (so a shop order never costs less than its shipping, and
never below zero). A hub voucher applies to the checkout's goods and is split across the shop orders in
proportion to their goods by the largest remainder method (floors first, then one đồng each to the largest
remainders, ties to the lower shop id): the shares add up to the discount exactly. A shop voucher applies to
that shop's order only. Shipping is never discounted.

Limits: checkout locks the voucher's row, counts the buyer's live redemptions (by phone and by account) and
raises `used` with a conditional UPDATE (`used < total_limit`), all in the order's transaction, so concurrent
checkouts never pass either limit. A checkout whose shop orders are all cancelled releases its redemption.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import NotAllowed, require_can_manage
from taybac.catalog.models import Shop
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.core.money import format_vnd
from taybac.orders.models import Order, ShopOrder, Status
from taybac.orders.voucher_models import Voucher, VoucherRedemption

CODE_PATTERN = re.compile(r"[A-Z0-9-]{3,20}")
MAX_AMOUNT = 50_000_000
MAX_LIMIT = 1_000_000
MAX_PERCENT = 90
MAX_LABEL = 120


class VoucherError(DomainError):
    """A voucher that cannot be created or used; the message is for the person who typed it."""


def normalise_code(*, code: str | None) -> str:
    """Codes are compared in upper case, spaces around ignored: "hoicho10" is HOICHO10."""
    code = (code or "").strip().upper()
    if not CODE_PATTERN.fullmatch(code):
        raise VoucherError("Mã giảm giá gồm 3–20 ký tự chữ, số hoặc dấu gạch ngang.", field="voucher")
    return code


def discount_amount(*, kind: str, value: int, max_discount: int | None, goods: int) -> int:
    """What a voucher takes off `goods` đồng (module docstring's rule): never negative, never above `goods`."""
    amount = value if kind == Voucher.Kind.FIXED else goods * value // 100
    if kind == Voucher.Kind.PERCENT and max_discount is not None:
        amount = min(amount, max_discount)
    return max(0, min(amount, goods))


def split(*, amount: int, weights: Mapping[int, int]) -> dict[int, int]:
    """`amount` split in proportion to `weights` by the largest remainder method; the parts sum to `amount`.
    With `amount` ≤ the weights' sum, no part exceeds its weight."""
    total = sum(weights.values())
    if total <= 0:
        return dict.fromkeys(weights, 0)
    parts = {key: amount * w // total for key, w in weights.items()}
    left = amount - sum(parts.values())
    by_remainder = sorted(weights, key=lambda key: (-(amount * weights[key] % total), key))
    for key in by_remainder[:left]:
        parts[key] += 1
    return parts


@dataclass(frozen=True)
class Applied:
    """A voucher as it applies to one cart: the discount and each shop's part (shop id → đồng)."""

    voucher: Voucher
    amount: int
    shares: dict[int, int]

    @property
    def by_hub(self) -> bool:
        return self.voucher.funded_by == Voucher.FundedBy.HUB


def _redemptions(voucher: Voucher, phone: str | None, buyer: User | None) -> int:
    who = Q(buyer_phone=phone) if phone else Q(pk__in=[])
    if buyer is not None and buyer.is_authenticated:
        who |= Q(buyer=buyer)
    return VoucherRedemption.objects.filter(who, voucher=voucher, released_at__isnull=True).count()


def _check(
    voucher: Voucher | None, goods: Mapping[int, int], phone: str | None, buyer: User | None, now: datetime
) -> Applied:
    if voucher is None or not voucher.is_active:
        raise VoucherError("Mã giảm giá không đúng hoặc đã ngừng.", field="voucher")
    if now < voucher.starts_at:
        raise VoucherError(
            f"Mã giảm giá dùng được từ {timezone.localtime(voucher.starts_at):%d/%m/%Y %H:%M}.", field="voucher"
        )
    if now >= voucher.ends_at:
        raise VoucherError("Mã giảm giá đã hết hạn.", field="voucher")
    if voucher.shop_id is not None and voucher.shop_id not in goods:
        raise VoucherError(f"Mã này chỉ dùng cho sản phẩm của gian hàng {voucher.shop}.", field="voucher")
    weights = dict(goods) if voucher.shop_id is None else {voucher.shop_id: goods[voucher.shop_id]}
    subtotal = sum(weights.values())
    if subtotal < voucher.min_subtotal:
        where = "" if voucher.shop_id is None else f" của gian hàng {voucher.shop}"
        raise VoucherError(
            f"Đơn chưa đủ {format_vnd(voucher.min_subtotal)} tiền hàng{where} để dùng mã này.", field="voucher"
        )
    if voucher.used >= voucher.total_limit:
        raise VoucherError("Mã giảm giá đã hết lượt dùng.", field="voucher")
    if _redemptions(voucher, phone, buyer) >= voucher.per_buyer_limit:
        raise VoucherError("Bạn đã dùng hết lượt của mã giảm giá này.", field="voucher")
    amount = discount_amount(kind=voucher.kind, value=voucher.value, max_discount=voucher.max_discount, goods=subtotal)
    shares = split(amount=amount, weights=weights)
    return Applied(voucher=voucher, amount=amount, shares={shop: shares.get(shop, 0) for shop in goods})


def preview(*, code: str, goods: Mapping[int, int], phone: str | None = None, buyer: User | None = None) -> Applied:
    """What `code` takes off a cart whose goods per shop id are `goods` (the quote); checkout checks again."""
    voucher = Voucher.objects.select_related("shop").filter(code=normalise_code(code=code)).first()
    return _check(voucher, goods, phone, buyer, timezone.now())


def redeem(*, code: str, order: Order, goods: Mapping[int, int], buyer: User | None) -> Applied:
    """Use `code` on `order` inside checkout's transaction: the voucher row is locked, both limits checked and
    `used` raised only while below the total limit; any failure rolls the whole checkout back."""
    assert transaction.get_connection().in_atomic_block, "redeem runs inside checkout's transaction"
    voucher = (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("shop")
        .filter(code=normalise_code(code=code))
        .first()
    )
    applied = _check(voucher, goods, order.contact_phone, buyer, timezone.now())
    raised = Voucher.objects.filter(pk=applied.voucher.pk, used__lt=F("total_limit")).update(used=F("used") + 1)
    if not raised:
        raise VoucherError("Mã giảm giá đã hết lượt dùng.", field="voucher")
    applied.voucher.used += 1
    VoucherRedemption.objects.create(
        voucher=applied.voucher,
        order=order,
        buyer=buyer if buyer is not None and buyer.is_authenticated else None,
        buyer_phone=order.contact_phone,
        amount=applied.amount,
    )
    return applied


def release_if_cancelled(*, order_id: int) -> bool:
    """Give the use back once every shop order of the checkout is cancelled (called by lifecycle.advance in its
    transaction); True if a redemption was released now."""
    redemption = VoucherRedemption.objects.select_for_update().filter(order_id=order_id, released_at=None).first()
    if redemption is None or ShopOrder.objects.filter(order_id=order_id).exclude(status=Status.CANCELLED).exists():
        return False
    redemption.released_at = timezone.now()
    redemption.save(update_fields=["released_at"])
    Voucher.objects.filter(pk=redemption.voucher_id, used__gt=0).update(used=F("used") - 1)
    return True


# --- creating and stopping vouchers -------------------------------------------------------------------------


def is_operator(*, user: User) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.role == Role.OPERATOR))


def _require_may_manage(actor: User, shop: Shop | None) -> None:
    if shop is None:
        if not is_operator(user=actor):
            raise NotAllowed("Chỉ vận hành sàn tạo được mã giảm giá do sàn tài trợ.")
    else:
        require_can_manage(actor, shop.producer)


def _bounded(value: object, low: int, high: int, message: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise VoucherError(message, field=field)
    return value


def create_voucher(
    *,
    actor: User,
    shop: Shop | None,
    code: str,
    kind: str,
    value: int,
    starts_at: datetime,
    ends_at: datetime,
    total_limit: int,
    per_buyer_limit: int = 1,
    max_discount: int | None = None,
    min_subtotal: int = 0,
    label: str = "",
) -> Voucher:
    """A shop's voucher (`shop`, funded by it; its owner or a delegate) or the hub's (`shop=None`; operators)."""
    _require_may_manage(actor, shop)
    code = normalise_code(code=code)
    if kind not in Voucher.Kind.values:
        raise VoucherError("Chọn loại giảm: số tiền hoặc phần trăm.", field="kind")
    amount_text = f"từ 1.000 đến {format_vnd(MAX_AMOUNT)}"
    if kind == Voucher.Kind.PERCENT:
        _bounded(value, 1, MAX_PERCENT, f"Phần trăm giảm từ 1 đến {MAX_PERCENT}.", "value")
        if max_discount is None:
            raise VoucherError("Mã giảm theo phần trăm cần mức giảm tối đa.", field="max_discount")
        _bounded(max_discount, 1_000, MAX_AMOUNT, f"Mức giảm tối đa {amount_text}.", "max_discount")
    else:
        _bounded(value, 1_000, MAX_AMOUNT, f"Số tiền giảm {amount_text}.", "value")
        max_discount = None
    _bounded(min_subtotal, 0, MAX_AMOUNT, f"Đơn tối thiểu từ 0 đến {format_vnd(MAX_AMOUNT)}.", "min_subtotal")
    _bounded(total_limit, 1, MAX_LIMIT, "Tổng lượt dùng từ 1 đến 1.000.000.", "total_limit")
    _bounded(
        per_buyer_limit, 1, min(total_limit, MAX_LIMIT), "Lượt mỗi người mua từ 1 đến tổng lượt.", "per_buyer_limit"
    )
    if not ends_at > starts_at:
        raise VoucherError("Ngày kết thúc phải sau ngày bắt đầu.", field="ends_at")
    if (ends_at - starts_at).days > 366:
        raise VoucherError("Mã giảm giá dùng tối đa một năm.", field="ends_at")
    label = (label or "").strip()
    if len(label) > MAX_LABEL:
        raise VoucherError(f"Ghi chú tối đa {MAX_LABEL} ký tự.", field="label")
    if Voucher.objects.filter(code__iexact=code).exists():
        raise VoucherError(f"Mã {code} đã có, chọn mã khác.", field="code")
    try:
        with transaction.atomic():
            voucher = Voucher.objects.create(
                code=code,
                label=label,
                kind=kind,
                value=value,
                max_discount=max_discount,
                funded_by=Voucher.FundedBy.HUB if shop is None else Voucher.FundedBy.SHOP,
                shop=shop,
                min_subtotal=min_subtotal,
                starts_at=starts_at,
                ends_at=ends_at,
                total_limit=total_limit,
                per_buyer_limit=per_buyer_limit,
                created_by=actor,
            )
    except IntegrityError:  # a concurrent creation of the same code
        raise VoucherError(f"Mã {code} đã có, chọn mã khác.", field="code") from None
    audit.record(actor=actor, action="voucher.created", target=voucher, detail={"code": code, "shop": shop and shop.pk})
    return voucher


def deactivate_voucher(*, actor: User, voucher: Voucher) -> Voucher:
    """Stop a voucher: no new checkout uses it; orders that used it keep their discount."""
    _require_may_manage(actor, voucher.shop)
    if voucher.is_active:
        Voucher.objects.filter(pk=voucher.pk).update(is_active=False)
        voucher.is_active = False
        audit.record(actor=actor, action="voucher.deactivated", target=voucher, detail={"code": voucher.code})
    return voucher
