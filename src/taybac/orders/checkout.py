"""Checkout: validate the cart, price shipping with the buyer's chosen options, reserve stock atomically, split
into shop orders.

Carriers are asked for their options before the transaction opens; everything else happens in one
transaction, and nothing external (carriers, notifications) runs inside it. An idempotency key is
unique per caller (orders/idempotency.py): replaying a request returns the order it created, even when two
copies race; the same key with another request is refused; another caller's key is just a new key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.phone import normalize_phone
from taybac.catalog.models import Variant
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.core.idempotent import get_or_create_once
from taybac.core.money import format_vnd
from taybac.orders import idempotency, notifications
from taybac.orders.codes import new_code
from taybac.orders.destinations import AddressInput as AddressInput
from taybac.orders.destinations import UnknownPickupPoint as UnknownPickupPoint
from taybac.orders.destinations import active_pickup_point, destination_for
from taybac.orders.models import Order, OrderLine, PaymentMethod, ShopOrder, Status
from taybac.orders.shipping import (
    OptionsProvider,
    ShopParcel,
    ShopShipping,
    priced,
    shop_parcels,
    validate_choices,
)
from taybac.orders.stock import reserve
from taybac.orders.vouchers import normalise_code, redeem
from taybac.regions.models import Address, PickupPoint
from taybac.regions.services import create_address

MAX_LINES = 50
MAX_QUANTITY = 999


class CheckoutError(DomainError):
    """A checkout that cannot be placed; the message is for the buyer."""


@dataclass(frozen=True)
class LineRequest:
    variant_id: int
    quantity: int


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str = ""


def validate_lines(*, lines: list[LineRequest]) -> dict[int, int]:
    if not lines:
        raise CheckoutError("Giỏ hàng đang trống.", field="lines")
    if len(lines) > MAX_LINES:
        raise CheckoutError(f"Tối đa {MAX_LINES} dòng mỗi đơn.", field="lines")
    wanted: dict[int, int] = defaultdict(int)
    for line in lines:
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int) or line.quantity < 1:
            raise CheckoutError("Số lượng phải là số nguyên từ 1.", field="lines")
        wanted[int(line.variant_id)] += line.quantity
    if any(q > MAX_QUANTITY for q in wanted.values()):
        raise CheckoutError(f"Mỗi sản phẩm tối đa {MAX_QUANTITY} đơn vị.", field="lines")
    return dict(wanted)


def _validated_email(email: str | None) -> str:
    email = (email or "").strip()
    if email:
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            raise CheckoutError("Địa chỉ email không hợp lệ (có thể để trống).", field="email") from None
    return email


@dataclass(frozen=True)
class Placement:
    """The order and whether this call placed it (False: the caller's replay of an earlier request)."""

    order: Order
    replayed: bool


class TotalChanged(CheckoutError):
    """The order would charge another total than the one the buyer was shown (a price or the destination
    changed since the quote): nothing is placed, the buyer looks at the new total first (the API answers 409)."""

    code = "conflict"


def _fingerprint(
    *,
    wanted: dict[int, int],
    contact: Contact,
    phone: str,
    payment_method: str,
    delivery_address: Address | AddressInput | None,
    pickup_point: str | None,
    choices: Mapping[int, str],
    voucher: str | None = None,
) -> str:
    delivery = None
    if isinstance(delivery_address, AddressInput):
        delivery = (delivery_address.province_code, delivery_address.commune_code, delivery_address.street)
    elif delivery_address is not None:
        delivery = (delivery_address.province_id, delivery_address.commune_id, delivery_address.street)
    return idempotency.request_hash(
        lines=wanted,
        name=contact.name,
        phone=phone,
        email=contact.email,
        payment_method=payment_method,
        delivery=delivery,
        pickup_point=pickup_point,
        shipping_choices=choices,
        voucher=voucher,
    )


def place_order(
    *,
    buyer: User | None,
    lines: list[LineRequest],
    contact: Contact,
    payment_method: str,
    delivery_address: Address | AddressInput | None = None,
    pickup_point: str | None = None,
    idempotency_key: str | None = None,
    session_key: str | None = None,
    shipping_choices: Mapping[int, str] | None = None,
    shipping: OptionsProvider | None = None,
    expected_total: int | None = None,
    voucher: str | None = None,
) -> Order:
    """Place an order across shops, or return the caller's order for the same idempotent request."""
    return place(
        buyer=buyer,
        lines=lines,
        contact=contact,
        payment_method=payment_method,
        delivery_address=delivery_address,
        pickup_point=pickup_point,
        idempotency_key=idempotency_key,
        session_key=session_key,
        shipping_choices=shipping_choices,
        shipping=shipping,
        expected_total=expected_total,
        voucher=voucher,
    ).order


def place(
    *,
    buyer: User | None,
    lines: list[LineRequest],
    contact: Contact,
    payment_method: str,
    delivery_address: Address | AddressInput | None = None,
    pickup_point: str | None = None,
    idempotency_key: str | None = None,
    session_key: str | None = None,
    shipping_choices: Mapping[int, str] | None = None,
    shipping: OptionsProvider | None = None,
    expected_total: int | None = None,
    unit_prices: Mapping[int, int] | None = None,
    voucher: str | None = None,
) -> Placement:
    """Place an order, or replay it: the key is looked up in the caller's scope (account, else `session_key`,
    else the phone; see orders/idempotency.py) and must come with the same request as before.

    `pickup_point` is a pickup point's code, resolved here (an unknown or closed one: UnknownPickupPoint), so
    every interface passes what the buyer chose and none looks it up itself. `shipping_choices` maps a shop id
    to the option id the buyer chose (CartQuote.choices); a shop without one gets the default (the hub
    network's cheapest), and a choice no longer offered is refused (StaleShippingChoice) with nothing kept.
    `expected_total` is the grand total the buyer was quoted (orders/quote.py); when given, an order that would
    charge anything else is refused with TotalChanged and nothing is kept. A replay returns the order it placed,
    unchecked (and asks no carrier). `unit_prices` maps a variant id to an event's price (a live session's
    live-only price, campaigns/live_orders.py), never above the variant's own price; the caller checks who may
    offer it. `voucher` is a voucher code (orders/vouchers.py), checked and redeemed in the order's transaction.
    """
    if idempotency_key is not None and not (1 <= len(idempotency_key) <= 100):
        raise CheckoutError("Idempotency-Key must be 1–100 characters.", field="idempotency_key")
    wanted = validate_lines(lines=lines)
    phone = normalize_phone(contact.phone)
    if payment_method not in PaymentMethod.values:
        raise CheckoutError("Chọn cách thanh toán: VietQR hoặc khi nhận hàng.", field="payment_method")
    if (delivery_address is None) == (pickup_point is None):
        raise CheckoutError("Chọn giao tận nơi hoặc nhận tại bưu điện xã.", field="delivery")
    name = (contact.name or "").strip()
    if not name or len(name) > 120:
        raise CheckoutError("Vui lòng nhập họ tên người nhận (tối đa 120 ký tự).", field="name")
    email = _validated_email(contact.email)
    choices = validate_choices(choices=shipping_choices)
    code = normalise_code(code=voucher) if voucher and voucher.strip() else None
    fingerprint = _fingerprint(
        wanted=wanted,
        contact=contact,
        phone=phone,
        payment_method=payment_method,
        delivery_address=delivery_address,
        pickup_point=pickup_point,
        choices=choices,
        voucher=code,
    )
    scope = idempotency.scope_for(user=buyer, session_key=session_key, phone=phone) or ""
    keyed = (
        {"idempotency_scope": scope, "idempotency_key": idempotency_key, "request_hash": fingerprint}
        if idempotency_key
        else {}
    )
    earlier = idempotency.recorded(scope=scope, key=idempotency_key)
    if earlier is not None:  # a replay: the order as placed, without asking the carriers again
        idempotency.ensure_same_request(earlier, fingerprint)
        return Placement(earlier, replayed=True)
    point = active_pickup_point(code=pickup_point) if pickup_point is not None else None
    destination = destination_for(delivery_address=delivery_address, pickup_point=point)
    offered = _priced_as(
        Variant.objects.offered().select_related("shop__commune__province").filter(pk__in=wanted), unit_prices
    )
    parcels = shop_parcels(variants=offered, wanted=wanted, cash_on_delivery=payment_method == PaymentMethod.COD)
    shipping_by_shop = priced(parcels=parcels, destination=destination, choices=choices, strict=True, shipping=shipping)

    def create() -> Order:
        order = _place(
            buyer=buyer,
            wanted=wanted,
            name=name,
            phone=phone,
            email=email,
            payment_method=payment_method,
            delivery_address=delivery_address,
            pickup_point=point,
            keyed=keyed,
            parcels=parcels,
            shipping=shipping_by_shop,
            expected_total=expected_total,
            unit_prices=unit_prices,
            voucher=code,
        )
        notifications.order_placed(order)  # sent on commit
        return order

    if not idempotency_key:
        with transaction.atomic():
            return Placement(create(), replayed=False)
    order, created = get_or_create_once(Order, {"idempotency_scope": scope, "idempotency_key": idempotency_key}, create)
    if not created:  # an earlier call, or a concurrent copy that won the race
        idempotency.ensure_same_request(order, fingerprint)
    return Placement(order, replayed=not created)


def _priced_as(variants: Iterable[Variant], unit_prices: Mapping[int, int] | None) -> list[Variant]:
    """The variants with an event's price in place of their own where one is given (only ever lower)."""
    variants = list(variants)
    for variant in variants:
        price = (unit_prices or {}).get(variant.pk)
        if price is not None:
            if not (0 < price <= variant.price):
                raise CheckoutError("Giá ưu đãi không hợp lệ.", field="lines")
            variant.price = price
    return variants


def unused_codes(*, count: int) -> list[str]:
    """`count` distinct codes that no order or shop order has yet (one query; drawn again on a clash).

    23^8 codes make a clash with an existing code rare for one order, but not over a hub's life: by 100,000
    orders one somewhere is about 6 % likely, and it must cost a redraw, not a failed checkout. Order and shop
    order codes share one space because both are payment references in transfer memos.
    """
    codes: set[str] = set()
    while len(codes) < count:
        drawn = {new_code() for _ in range(count - len(codes))} - codes
        in_orders = Order.objects.filter(code__in=drawn).order_by().values_list("code", flat=True)
        taken = in_orders.union(ShopOrder.objects.filter(code__in=drawn).order_by().values_list("code", flat=True))
        codes |= drawn - set(taken)
    return sorted(codes)


def _place(
    *,
    buyer: User | None,
    wanted: dict[int, int],
    name: str,
    phone: str,
    email: str,
    payment_method: str,
    delivery_address: Address | AddressInput | None,
    pickup_point: PickupPoint | None,
    keyed: Mapping[str, str | None],
    parcels: list[ShopParcel],
    shipping: Mapping[int, ShopShipping],
    expected_total: int | None,
    unit_prices: Mapping[int, int] | None = None,
    voucher: str | None = None,
) -> Order:
    offered = Variant.objects.offered().select_related("product", "shop").filter(pk__in=wanted)
    variants = {v.pk: v for v in _priced_as(offered, unit_prices)}
    if set(wanted) - set(variants):  # missing, or not on sale; stock is checked by reserve()'s guarded updates
        raise CheckoutError("Có sản phẩm không còn bán. Vui lòng xem lại giỏ hàng.", field="lines")
    priced_as = [(p.shop.pk, p.weight_grams, p.items_total) for p in parcels]
    now = shop_parcels(variants=variants.values(), wanted=wanted, cash_on_delivery=False)
    if [(p.shop.pk, p.weight_grams, p.items_total) for p in now] != priced_as:  # changed while carriers answered
        raise TotalChanged(
            "Giỏ hàng vừa thay đổi (giá hoặc sản phẩm). Vui lòng xem lại rồi bấm Đặt hàng.", field="lines"
        )
    preordered = reserve(wanted, {pk: str(v) for pk, v in variants.items()})
    if isinstance(delivery_address, AddressInput):
        delivery_address = create_address(
            province_code=delivery_address.province_code,
            commune_code=delivery_address.commune_code,
            street=delivery_address.street,
        )
    by_shop: dict[int, list[Variant]] = defaultdict(list)
    for variant in variants.values():
        by_shop[variant.shop_id].append(variant)
    codes = unused_codes(count=1 + len(by_shop))
    order = Order.objects.create(
        code=codes.pop(),
        buyer=buyer if buyer and buyer.is_authenticated else None,
        contact_name=name,
        contact_phone=phone,
        contact_email=email,
        delivery_address=delivery_address,
        pickup_point=pickup_point,
        payment_method=payment_method,
        **keyed,
    )
    hold = timedelta(minutes=settings.TAYBAC_RESERVATION_MINUTES)
    goods = {shop_id: sum(v.price * wanted[v.pk] for v in by_shop[shop_id]) for shop_id in by_shop}
    applied = redeem(code=voucher, order=order, goods=goods, buyer=buyer) if voucher else None
    charged = 0
    for shop_id in sorted(by_shop):
        shop_variants = sorted(by_shop[shop_id], key=lambda v: v.pk)
        items_total = goods[shop_id]
        discount = applied.shares[shop_id] if applied else 0
        option = shipping[shop_id].chosen
        fee = option.fee
        transfer = payment_method == PaymentMethod.VIETQR
        charged += items_total + fee - discount
        shop_order = ShopOrder.objects.create(
            order=order,
            shop_id=shop_id,
            code=codes.pop(),
            items_total=items_total,
            shipping_fee=fee,
            shipping_carrier=option.carrier,
            shipping_service=option.service,
            shipping_service_name=option.name,
            shipping_cod_fee=option.cod_fee,
            shipping_eta_days_min=option.eta_days_min,
            shipping_eta_days_max=option.eta_days_max,
            discount=discount,
            discount_by_hub=bool(discount and applied and applied.by_hub),
            total=items_total + fee - discount,
            status=Status.AWAITING_PAYMENT if transfer else Status.CONFIRMED,
            reserved_until=timezone.now() + hold if transfer else None,
        )
        OrderLine.objects.bulk_create(
            [
                OrderLine(
                    shop_order=shop_order,
                    shop_id=shop_id,
                    variant=v,
                    product_name=v.product.name,
                    variant_name=v.name,
                    unit_price=v.price,
                    quantity=wanted[v.pk],
                    line_total=v.price * wanted[v.pk],
                    preorder=v.pk in preordered,
                )
                for v in shop_variants
            ]
        )
        audit.record(
            actor=buyer,
            action="shop_order.placed",
            target=shop_order,
            detail={"status": shop_order.status, "total": shop_order.total, "shipping": option.id},
        )
    if expected_total is not None and charged != expected_total:  # raised inside the transaction: rolled back
        raise TotalChanged(
            f"Tổng tiền vừa thay đổi thành {format_vnd(charged)} (giá hoặc phí giao hàng đã khác). "
            "Vui lòng xem lại rồi bấm Đặt hàng.",
            field="tong",
        )
    return order
