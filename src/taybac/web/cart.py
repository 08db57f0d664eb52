"""The cart lives in the session (guests and signed-in buyers alike): {variant id: quantity}.

Only variants on sale (catalog.models.VariantQuerySet.on_sale: variant, product and shop active, with stock or
a pre-order quota) go in or stay in: a line whose shop closed or whose stock ran out leaves the cart, and the
buyer is told. Checkout re-checks everything inside its transaction.
"""

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


def _write(request: HttpRequest, cart: dict[int, int]) -> None:
    request.session[SESSION_KEY] = {str(k): v for k, v in cart.items()}


def on_sale(variant_id: int) -> bool:
    return Variant.objects.on_sale().filter(pk=variant_id).exists()


def set_quantity(request: HttpRequest, variant_id: int, quantity: int) -> None:
    """Change a line (0 removes it). Callers adding a variant check `on_sale` first."""
    cart = read(request)
    if quantity <= 0:
        cart.pop(variant_id, None)
    else:
        cart[variant_id] = min(quantity, MAX_QUANTITY)
    _write(request, cart)


def clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def lines(request: HttpRequest) -> tuple[list[CartLine], int]:
    """Cart lines of variants still on sale, grouped by shop (shop id, then variant id), and how many lines
    were dropped from the session because they no longer are."""
    cart = read(request)
    if not cart:
        return [], 0
    variants = list(
        Variant.objects.on_sale().filter(pk__in=cart).select_related("product", "shop").order_by("shop_id", "id")
    )
    dropped = len(cart) - len(variants)
    if dropped:
        _write(request, {v.pk: cart[v.pk] for v in variants})
    return [CartLine(v, cart[v.pk]) for v in variants], dropped
