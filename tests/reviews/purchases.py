"""Delivered purchases built through the real services, for the review tests, the API pins and the matrix."""

from __future__ import annotations

from taybac.accounts.models import User
from taybac.catalog.models import Product, Shop
from taybac.fulfilment.services import deliver_shop_order, pack_shop_order, ship_shop_order
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import OrderLine, ShopOrder
from taybac.regions.services import create_address
from tests.factories import make_product, make_shop


def placed(
    buyer: User | None,
    *,
    product: Product | None = None,
    shop: Shop | None = None,
    quantity: int = 2,
    phone: str = "0912345678",
    name: str = "Trần Thị Lan",
) -> ShopOrder:
    """A cash-on-delivery order of one line, placed by `buyer` (None: a guest), confirmed."""
    if product is None:
        product = make_product(shop=shop or make_shop(name="HTX Chè Suối Giàng"), name="Chè Shan tuyết", quantity=50)
    order = place_order(
        buyer=buyer,
        lines=[LineRequest(product.variants.order_by("id").first().pk, quantity)],
        contact=Contact(name, phone),
        payment_method="cod",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    return order.shop_orders.select_related("order", "shop__producer__owner").get()


def deliver(shop_order: ShopOrder) -> ShopOrder:
    """Packed, shipped and handed over by the seller, the cash collected."""
    owner = shop_order.shop.producer.owner
    pack_shop_order(actor=owner, shop_order=shop_order)
    ship_shop_order(actor=owner, shop_order=shop_order)
    return deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)


def delivered_line(buyer: User | None, **placed_kwargs) -> OrderLine:
    """The one line of a delivered order placed by `buyer`."""
    return deliver(placed(buyer, **placed_kwargs)).lines.select_related("variant__product").get()
