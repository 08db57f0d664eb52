"""SQL query counts of the buyer's order pages, pinned: more shops and lines must not mean more queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from taybac.accounts.phone import normalize_phone
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.regions.services import create_address
from taybac.web.order_links import order_url
from tests.factories import make_product, make_shop, make_user
from tests.web.orders.test_order_pages import checkout_form, fill_cart

pytestmark = pytest.mark.django_db
PER_SHOP_ORDER = 3  # the shop order, its lines (one bulk insert), its audit entry
# Pricing one shop order on the hub's network (logistics/carriers/hub.py, logistics/addressing.py): the sender's
# stored address, both communes, the active rate table with its bands and delivery days, the remote-commune list.
# The page prices the cart once to show it and checkout once more to charge it, so twice per shop order.
PER_SHOP_QUOTE = 6


def variants(shops: int, per_shop: int) -> list:
    return [
        make_product(shop=shop, name=f"Mật ong {i}", price=100_000 + i).variants.get()
        for s in range(shops)
        for shop in [make_shop(name=f"Hộ số {s}")]
        for i in range(per_shop)
    ]


def queries(client: Client, method: str, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(ctx.captured_queries)


def counts(shops: int, per_shop: int, phone: str) -> dict[str, int]:
    """Queries of each page for a cart/order of `shops` shops × `per_shop` products, placed through the pages."""
    items = variants(shops, per_shop)
    client = Client()
    fill_cart(client, *items)
    result = {"cart": queries(client, "get", "/gio-hang/?tinh=1")}
    form = checkout_form(client)
    result["checkout"] = queries(client, "post", "/gio-hang/?tinh=1", form)
    order = place_order(
        buyer=None,
        lines=[LineRequest(v.pk, 1) for v in items],
        contact=Contact("Lan", phone),
        payment_method="vietqr",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    shop_order = order.shop_orders.first()
    result["order"] = queries(client, "get", order_url(order.code))
    result["receipt"] = queries(client, "get", order_url(order.code, shop_code=shop_order.code))
    result["api_order"] = queries(client, "get", f"/api/v1/orders/{order.code}?phone={phone}")
    buyer = make_user()
    buyer.phone = normalize_phone(phone)
    buyer.save()
    client.force_login(buyer)
    result["mine"] = queries(client, "get", "/don-mua/") - 2  # minus the session and user lookups of the sign-in
    return result


def test_order_pages_do_not_grow_with_shops_and_lines():
    small, large = counts(1, 1, "0912345678"), counts(3, 3, "0987654321")
    # Checkout writes, by design, one guarded stock UPDATE per line (DESIGN.md) and a few rows per shop order;
    # everything it reads is loaded in a fixed number of queries.
    checkout_small, checkout_large = small.pop("checkout"), large.pop("checkout")
    assert checkout_large - checkout_small == 8 * 1 + 2 * PER_SHOP_ORDER + 2 * 2 * PER_SHOP_QUOTE
    assert small == large
    # Pinned: a change here is a deliberate decision (update the number and say why in the commit).
    # cart 7: the quote (orders.quote_cart, the fee function checkout charges with) reads the variants once more.
    # order/receipt: the signed link's probe of the order (web/order_links.py); open credits are a join, no query.
    # order 6: the checkout's shipments, read once for every shop order's tracking (web/templatetags/tracking.py).
    assert large == {"cart": 7, "order": 6, "receipt": 5, "api_order": 3, "mine": 3}
    # 21 + one look-up that the drawn order codes are unused + the quote's variants (the page re-prices the cart
    # before placing, to hold the order to the total it showed) = 23; + checkout's replay look-up before asking
    # any carrier and its read of the destination commune (the quote reads the commune instead of the province),
    # + one shop order priced on the hub's network by the quote and by checkout (2 × PER_SHOP_QUOTE)
    assert checkout_small == 23 + 2 + 2 * PER_SHOP_QUOTE == 37
