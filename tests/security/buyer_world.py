"""What the buyer rows of the authorisation matrix (matrix.py) need beyond the world: the buyer's order delivered,
a return request on A's order, a saved address of the buyer. Each runs in the row's savepoint, before the
fingerprint, so only the request itself counts as a write."""

from __future__ import annotations

from typing import Any

from taybac.accounts.addresses import AddressInput, add_address
from taybac.accounts.models import SavedAddress
from taybac.fulfilment.services import deliver_shop_order, pack_shop_order, ship_shop_order
from taybac.orders.models import ReturnRequest, ShopOrder
from taybac.orders.returns import request_return
from tests.security.conftest import World

ADDRESS_FORM = {"name": "Lan", "phone": "0912345678", "tinh": "1", "xa": "70", "street": "12 Hàng Bạc", "luu": "1"}


def _deliver(w: World, shop_order: ShopOrder) -> ShopOrder:
    owner = w.users["owner"]
    assert owner is not None
    pack_shop_order(actor=owner, shop_order=shop_order)
    ship_shop_order(actor=owner, shop_order=shop_order)
    return deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)


def buyer_shop_order(w: World) -> ShopOrder:
    return w.buyer_order.shop_orders.get()


def deliver_buyers_order(client: Any, w: World) -> None:
    _deliver(w, buyer_shop_order(w))


def return_requested(client: Any, w: World) -> None:
    """A's home-delivery order delivered, and its buyer asks to return it (through the signed link)."""
    request_return(shop_order=_deliver(w, w.shop_order), actor=None, holds_link=True, reason="Hàng bị dập khi giao")


def return_request_url(w: World) -> str:
    return f"/ban-hang/tra-hang/{ReturnRequest.objects.get(shop_order=w.shop_order).pk}/"


def buyer_has_address(client: Any, w: World) -> None:
    buyer = w.users["buyer"]
    assert buyer is not None
    add_address(
        actor=buyer,
        data=AddressInput(name="Lan", phone="0912345678", province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )


def buyers_address(w: World) -> int:
    return SavedAddress.objects.get(user=w.users["buyer"]).pk
