"""The cart lives in the session (guests and signed-in buyers alike): {variant id: quantity}."""
from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from taybac.catalog.models import Variant
from taybac.core.ids import small_int

SESSION_KEY = "cart"
MAX_QUANTITY = 999


@dataclass(frozen=True)
class CartLine:
    variant: Variant
    quantity: int

    @property
    def total(self) -> int:
        return self.variant.price * self.quantity


def read(request: HttpRequest) -> dict[int, int]:
    raw = request.session.get(SESSION_KEY, {})
    cart = {small_int(k): small_int(v) for k, v in raw.items()}
    return {k: v for k, v in cart.items() if k is not None and v is not None and 0 < v <= MAX_QUANTITY}


def set_quantity(request: HttpRequest, variant_id: int, quantity: int) -> None:
    cart = read(request)
    if quantity <= 0:
        cart.pop(variant_id, None)
    else:
        cart[variant_id] = min(quantity, MAX_QUANTITY)
    request.session[SESSION_KEY] = {str(k): v for k, v in cart.items()}


def clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def lines(request: HttpRequest) -> list[CartLine]:
    """Cart lines of variants still on sale, grouped by shop (shop id, then variant id)."""
    cart = read(request)
    variants = (Variant.objects.filter(pk__in=cart, is_active=True, product__is_active=True)
                .select_related("product", "shop").order_by("shop_id", "id"))
    return [CartLine(v, cart[v.pk]) for v in variants]
