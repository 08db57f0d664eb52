"""Producer A's harvest sales window for the matrix rows of the window pages (docs/selling-events.md): made in a
row's `before` (each role's savepoint gets its own), read by its URL and data."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from taybac.campaigns.window_harvest import choice_token, confirm_harvest
from taybac.campaigns.window_models import SalesWindow
from taybac.campaigns.window_services import open_window, preorder
from taybac.catalog.models import Product
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from tests.security.conftest import World

_made: dict[int, SalesWindow] = {}
_tokens: dict[int, str] = {}
_preorders: dict[int, int] = {}
POINT = "BD-WIN"


def takes_preorders(client: Any, w: World) -> None:
    """A's tea takes pre-orders for a harvest in 40 days (what opening a window asks)."""
    Product.objects.filter(pk=w.product.pk).update(
        preorder_allowed=True, next_harvest=datetime.date.today() + datetime.timedelta(days=40)
    )


def open_(client: Any, w: World) -> None:
    takes_preorders(client, w)
    owner = w.shop.producer.owner
    now = timezone.now()
    _made[id(w)] = open_window(
        actor=owner, shop=w.shop, variant_id=w.variant.pk, title="Chè vụ xuân",
        opens_at=now - datetime.timedelta(minutes=1), closes_at=now + datetime.timedelta(days=10), quota=5,
        price=w.variant.price, delivery_week=datetime.date.today() + datetime.timedelta(days=30),
    )  # fmt: skip
    address = create_address(province_code=1, commune_code=70, street="1 Hàng Bạc")
    PickupPoint.objects.get_or_create(code=POINT, defaults={"name": "Bưu điện xã Hoàn Kiếm", "address": address})


def harvested_short(client: Any, w: World) -> None:
    """One pre-order of 2, and a harvest of 1: its buyer has a choice link."""
    open_(client, w)
    window = _made[id(w)]
    made = preorder(
        buyer=None, window=window, quantity=2, name="Lan", phone="0987654321", payment_method="cod",
        pickup_point=POINT,
    )  # fmt: skip
    confirm_harvest(actor=w.shop.producer.owner, window=window, harvested_quantity=1)
    _tokens[id(w)] = choice_token(preorder=made)


def with_preorder(client: Any, w: World) -> None:
    """One waiting pre-order of 2 (cash on delivery) in A's open window."""
    open_(client, w)
    made = preorder(
        buyer=None, window=_made[id(w)], quantity=2, name="Lan", phone="0987654321", payment_method="cod",
        pickup_point=POINT,
    )  # fmt: skip
    _preorders[id(w)] = made.pk


def preorder_cancel_url(w: World) -> str:
    return f"/ban-hang/dat-truoc/{_made[id(w)].pk}/huy-don/{_preorders[id(w)]}/"


def window_url(suffix: str = "") -> Any:
    return lambda w: f"/ban-hang/dat-truoc/{_made[id(w)].pk}/{suffix}"


def page_url(suffix: str) -> Any:
    return lambda w: f"/dat-truoc/{_made[id(w)].pk}/{suffix}"


def choice_url(w: World) -> str:
    return f"/dat-truoc/chon/{_tokens[id(w)]}/"


def preorder_form(w: World) -> dict[str, Any]:
    return {"quantity": 1, "name": "Lan", "phone": "0987654321", "payment_method": "cod", "pickup_point": POINT}


def open_form(w: World) -> dict[str, Any]:
    today = datetime.date.today()
    return {
        "title": "Chè vụ xuân",
        "variant": w.variant.pk,
        "quota": 5,
        "price": str(w.variant.price),
        "payment": "full",
        "opens": today.isoformat(),
        "closes": (today + datetime.timedelta(days=9)).isoformat(),
        "week": (today + datetime.timedelta(days=20)).isoformat(),
    }


def edit_form(w: World) -> dict[str, Any]:
    today = datetime.date.today()
    return {
        "title": "Chè vụ xuân sớm",
        "quota": 8,
        "closes": (today + datetime.timedelta(days=12)).isoformat(),
        "week": (today + datetime.timedelta(days=25)).isoformat(),
    }
