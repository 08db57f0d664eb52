"""A fresh demo has the fair's hub voucher and one shop's own, live now, which a cart can use at once."""

from __future__ import annotations

from taybac.catalog.models import Variant
from taybac.orders.checkout import LineRequest
from taybac.orders.models import Voucher
from taybac.orders.quote import quote_cart


def test_the_demo_has_a_hub_voucher_and_a_shop_voucher_a_cart_can_use(loaded):
    hub = Voucher.objects.get(code="HOICHO10")
    own = Voucher.objects.exclude(pk=hub.pk).get()
    assert (hub.funded_by, own.funded_by) == ("hub", "shop") and hub.is_active and own.is_active
    variant = Variant.objects.filter(shop=own.shop, is_active=True, price__gte=100_000).order_by("pk").first()
    quantity = -(-own.min_subtotal // variant.price)  # enough for the shop voucher's minimum
    for code in (hub.code, own.code):
        quote = quote_cart(lines=[LineRequest(variant.pk, quantity)], voucher=code)
        assert quote.discount > 0
