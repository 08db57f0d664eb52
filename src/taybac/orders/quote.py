"""Pricing a cart before checkout: the split per shop, each line's availability, shipping options per shop order.

Read-only and stateless, so an app can keep its cart on the phone (weak 3G: no round trip per tap) and ask
for a quote when the buyer opens the cart. Checkout re-checks everything inside its transaction; a quote
promises nothing. Shipping options come from the carriers (orders/shipping.py's provider, registered by
logistics) and need the destination commune: a delivery address's commune or the pickup point's.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from taybac.accounts.models import User
from taybac.catalog.models import Variant
from taybac.orders.checkout import CheckoutError, LineRequest, validate_lines
from taybac.orders.destinations import active_pickup_point, destination_commune
from taybac.orders.models import PaymentMethod
from taybac.orders.shipping import (
    Destination,
    OptionsProvider,
    ShippingOption,
    priced,
    shop_parcels,
    validate_choices,
)
from taybac.orders.vouchers import Applied, preview
from taybac.regions.models import Commune, PickupPoint, Province


@dataclass(frozen=True)
class QuotedLine:
    variant_id: int
    product_name: str
    variant_name: str
    unit_price: int
    quantity: int
    line_total: int
    available: int
    problem: str | None  # Variant.sale_problem: None (in stock), "preorder", "out_of_stock", "not_on_sale"


@dataclass(frozen=True)
class QuotedShop:
    shop_id: int
    shop_name: str
    lines: list[QuotedLine]
    items_total: int
    options: list[ShippingOption] = field(default_factory=list)  # empty until the destination commune is known
    chosen: ShippingOption | None = None
    discount: int = 0  # this shop's part of the voucher (orders/vouchers.py)

    @property
    def shipping_fee(self) -> int | None:
        return None if self.chosen is None else self.chosen.fee

    @property
    def total(self) -> int | None:
        return None if self.shipping_fee is None else self.items_total + self.shipping_fee - self.discount


@dataclass(frozen=True)
class CartQuote:
    shops: list[QuotedShop] = field(default_factory=list)
    province: Province | None = None  # the destination province; None: not chosen yet
    commune: Commune | None = None  # where the options are priced to (the pickup point's commune for collection)
    pickup_point: PickupPoint | None = None  # the post office chosen for collection, if any
    payment_method: str | None = None  # "cod" adds the carriers' fee for collecting cash
    voucher: Applied | None = None  # the voucher code the buyer typed, as it applies to this cart

    @property
    def discount(self) -> int:
        return sum(s.discount for s in self.shops)

    @property
    def choices(self) -> dict[int, str]:
        """The option that applies per shop id: what checkout's `shipping_choices` should send back."""
        return {s.shop_id: s.chosen.id for s in self.shops if s.chosen is not None}

    @property
    def shipping_total(self) -> int | None:
        fees = [s.shipping_fee for s in self.shops]
        return None if any(f is None for f in fees) else sum(f for f in fees if f is not None)

    @property
    def items_total(self) -> int:
        return sum(s.items_total for s in self.shops)

    @property
    def total(self) -> int | None:
        totals = [s.total for s in self.shops]
        known = [t for t in totals if t is not None]
        return sum(known) if len(known) == len(totals) else None  # None: a shop's shipping is not known yet

    @property
    def can_checkout(self) -> bool:
        return bool(self.shops) and all(line.problem in (None, "preorder") for s in self.shops for line in s.lines)


def quote_cart(
    *,
    lines: list[LineRequest],
    province_code: int | None = None,
    commune_code: int | None = None,
    pickup_point: str | None = None,
    payment_method: str | None = None,
    shipping_choices: Mapping[int, str] | None = None,
    shipping: OptionsProvider | None = None,
    voucher: str | None = None,
    phone: str | None = None,
    buyer: User | None = None,
) -> CartQuote:
    """Price `lines`. Shipping options need the destination commune: `commune_code` (home delivery, inside
    `province_code` when both are given) or a pickup point's code (collection there). A province alone shows
    no options yet. A pickup point outside the given province is refused: the page would show one place and
    price another. `shipping_choices` (shop id → option id) pick among the options; a choice no longer offered
    falls back to the default (the hub network's cheapest) here, while checkout refuses it. A `voucher` code
    shows its discount per shop (a code that does not apply raises VoucherError, field "voucher"); the buyer's
    limit is checked only when `phone` or `buyer` is known."""
    wanted = validate_lines(lines=lines)
    choices = validate_choices(choices=shipping_choices)
    if payment_method is not None and payment_method not in PaymentMethod.values:
        raise CheckoutError("Chọn cách thanh toán: VietQR hoặc khi nhận hàng.", field="payment_method")
    province, commune, point, street = None, None, None, ""
    if pickup_point is not None:
        point = active_pickup_point(code=pickup_point)
        province, commune, street = point.address.province, point.address.commune, point.address.street
        if province_code is not None and province_code != province.pk:
            raise CheckoutError("Bưu điện đã chọn không thuộc tỉnh nhận hàng.", field="pickup_point")
    elif commune_code is not None:
        if province_code is None:
            raise CheckoutError("Vui lòng chọn tỉnh nhận hàng.", field="province_code")
        commune = destination_commune(province_code=province_code, commune_code=commune_code)
        province = commune.province
    elif province_code is not None:
        province = Province.objects.filter(code=province_code).first()
        if province is None:
            raise CheckoutError(f"Không có tỉnh mã {province_code}.", field="province_code")
    variants = list(
        Variant.objects.filter(pk__in=wanted)
        .select_related("product", "shop__commune__province")
        .order_by("shop_id", "id")
    )
    found = {v.pk for v in variants}
    if set(wanted) - found:
        raise CheckoutError(f"Không có sản phẩm mã {sorted(set(wanted) - found)[0]}.", field="lines")
    shipping_by_shop = (
        {}
        if commune is None
        else priced(
            parcels=shop_parcels(variants=variants, wanted=wanted, cash_on_delivery=payment_method == "cod"),
            destination=Destination(commune=commune, street=street),
            choices=choices,
            strict=False,
            shipping=shipping,
        )
    )
    by_shop: dict[int, list[Variant]] = defaultdict(list)
    for variant in variants:
        by_shop[variant.shop_id].append(variant)
    today = datetime.date.today()
    shops = []
    for shop_id, shop_variants in sorted(by_shop.items()):
        quoted = [
            QuotedLine(
                variant_id=v.pk,
                product_name=v.product.name,
                variant_name=v.name,
                unit_price=v.price,
                quantity=wanted[v.pk],
                line_total=v.price * wanted[v.pk],
                available=max(v.available, 0),
                problem=v.sale_problem(wanted[v.pk], today),
            )
            for v in shop_variants
        ]
        shop_shipping = shipping_by_shop.get(shop_id)
        shops.append(
            QuotedShop(
                shop_id=shop_id,
                shop_name=shop_variants[0].shop.name,
                lines=quoted,
                items_total=sum(q.line_total for q in quoted),
                options=shop_shipping.options if shop_shipping else [],
                chosen=shop_shipping.chosen if shop_shipping else None,
            )
        )
    applied = None
    if voucher and voucher.strip():
        applied = preview(code=voucher, goods={s.shop_id: s.items_total for s in shops}, phone=phone, buyer=buyer)
        shops = [replace(s, discount=applied.shares[s.shop_id]) for s in shops]
    return CartQuote(
        voucher=applied,
        shops=shops,
        province=province,
        commune=commune,
        pickup_point=point,
        payment_method=payment_method,
    )
