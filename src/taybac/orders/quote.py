"""Pricing a cart before checkout: the split per shop, each line's availability, shipping per shop order.

Read-only and stateless, so an app can keep its cart on the phone (weak 3G: no round trip per tap) and ask
for a quote when the buyer opens the cart. Checkout re-checks everything inside its transaction; a quote
promises nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from taybac.catalog.models import Variant
from taybac.orders.checkout import CheckoutError, LineRequest, active_pickup_point, validate_lines
from taybac.orders.shipping import ShippingPolicy, default_policy, shop_fee
from taybac.regions.models import PickupPoint, Province


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
    shipping_fee: int | None

    @property
    def total(self) -> int | None:
        return None if self.shipping_fee is None else self.items_total + self.shipping_fee


@dataclass(frozen=True)
class CartQuote:
    shops: list[QuotedShop] = field(default_factory=list)
    province: Province | None = None  # where the fees are priced to; None: not chosen yet
    pickup_point: PickupPoint | None = None  # the post office chosen for collection, if any

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
    pickup_point: str | None = None,
    shipping: ShippingPolicy | None = None,
) -> CartQuote:
    """Price `lines`; shipping fees need the destination: a province (home delivery) or a pickup point's code
    (collection at that post office, priced to its province, as checkout does). Neither leaves them unpriced.
    A pickup point outside the given province is refused: the page would show one place and price another."""
    wanted = validate_lines(lines=lines)
    province, point = None, None
    if pickup_point is not None:
        point = active_pickup_point(code=pickup_point)
        province = point.address.province
        if province_code is not None and province_code != province.pk:
            raise CheckoutError("Bưu điện đã chọn không thuộc tỉnh nhận hàng.", field="pickup_point")
    elif province_code is not None:
        province = Province.objects.filter(code=province_code).first()
        if province is None:
            raise CheckoutError(f"Không có tỉnh mã {province_code}.", field="province_code")
    variants = Variant.objects.filter(pk__in=wanted).select_related("product", "shop").order_by("shop_id", "id")
    found = {v.pk for v in variants}
    if set(wanted) - found:
        raise CheckoutError(f"Không có sản phẩm mã {sorted(set(wanted) - found)[0]}.", field="lines")
    by_shop: dict[int, list[Variant]] = defaultdict(list)
    for variant in variants:
        by_shop[variant.shop_id].append(variant)
    today, policy = datetime.date.today(), shipping or default_policy()
    shops = []
    for shop_variants in by_shop.values():
        shop = shop_variants[0].shop
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
        fee = (
            None
            if province is None
            else shop_fee(
                policy=policy,
                from_province=shop.province_id,
                to=province,
                weight_grams=sum(v.weight_grams * wanted[v.pk] for v in shop_variants),
            )
        )
        shops.append(
            QuotedShop(
                shop_id=shop.pk,
                shop_name=shop.name,
                lines=quoted,
                items_total=sum(q.line_total for q in quoted),
                shipping_fee=fee,
            )
        )
    return CartQuote(shops=shops, province=province, pickup_point=point)
