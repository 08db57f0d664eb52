"""The world the authorisation matrix attacks: producer A's shop and everything hanging off it, and one person
per role that must (or must not) reach it. Built through the real services (tests/factories.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client

from taybac.accounts.models import Delegation, Role, User
from taybac.accounts.services import grant_delegation, revoke_delegation
from taybac.catalog.models import Product, ProductPhoto, Shop, Variant
from taybac.catalog.services import add_photo
from taybac.fulfilment.pickup import receive_at_pickup_point
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.lifecycle import advance
from taybac.orders.models import Order, ShopOrder, Status
from taybac.regions.services import create_address
from taybac.traceability.models import Lot
from taybac.traceability.services import record_harvest
from tests.api.conftest import jpeg_bytes
from tests.factories import make_product, make_shop, make_user
from tests.fulfilment.parcels import make_point, shipped_order

BUYER_PHONE = "0912345678"
BUYER_KEY = "buyer-own-key-0001"

# The seven roles of the issue, then the three that own the targets (the control: what is refused to the
# first seven is allowed to them, so a refusal is about who asks, not a malformed request).
ATTACKERS = (
    "anonymous",
    "buyer",
    "other_producer",
    "helper_without_delegation",
    "revoked_helper",
    "other_post_office",
    "operator",
)
OWNERS = ("owner", "helper", "post_office")
ROLES = ATTACKERS + OWNERS


@dataclass
class World:
    shop: Shop  # producer A's
    product: Product
    variant: Variant
    photo: ProductPhoto
    lot: Lot  # A's harvest lot
    shop_order: ShopOrder  # A's, confirmed, home delivery: the seller's next step is "packed"
    coming: ShopOrder  # A's, shipped to post office Y
    waiting: ShopOrder  # A's, arrived at post office Y (cash on delivery)
    delegation: Delegation  # A's live delegation to `helper`
    buyer_order: Order  # placed through the API by the buyer with BUYER_KEY
    checkout_body: dict
    other_shop: Shop  # producer B's
    users: dict[str, User | None]


def _checkout_body(variant: Variant) -> dict:
    return {
        "lines": [{"variant_id": variant.pk, "quantity": 1}],
        "contact": {"name": "Lan", "phone": BUYER_PHONE},
        "delivery_address": {"province_code": 1, "commune_code": 70, "street": "12 Hàng Bạc"},
        "payment_method": "cod",
    }


@pytest.fixture
def world(db) -> World:
    shop = make_shop(name="HTX Chè Suối Giàng", province_code=15)
    owner = shop.producer.owner
    product = make_product(shop=shop, name="Chè Shan tuyết", category_slug="che", quantity=50)
    variant = product.variants.get()
    photo = add_photo(actor=owner, product=product, data=jpeg_bytes(), alt="Chè")
    lot = record_harvest(actor=owner, variant=variant, harvested_on=datetime.date.today(), quantity=40, unit="kg")
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Lan", BUYER_PHONE),
        payment_method="cod",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    shop_order = order.shop_orders.get()
    if shop_order.status == Status.AWAITING_PAYMENT:
        advance(shop_order=shop_order, to=Status.CONFIRMED, actor=None)

    staff_y, staff_x = make_user(full_name="Lò Thị Nga"), make_user(full_name="Cầm Văn Xuân")
    point_y = make_point(code="BD-Y", name="Bưu điện Y", staff=[staff_y])
    make_point(code="BD-X", name="Bưu điện X", staff=[staff_x])
    coming = shipped_order(point_y, shop=shop, with_lot=False)
    waiting = shipped_order(point_y, shop=shop, payment_method="cod", with_lot=False)
    receive_at_pickup_point(actor=staff_y, shop_order=waiting)

    helper, revoked = make_user(role=Role.HELPER), make_user(role=Role.HELPER)
    delegation = grant_delegation(producer=shop.producer, delegate=helper, granted_by=owner)
    revoke_delegation(
        delegation=grant_delegation(producer=shop.producer, delegate=revoked, granted_by=owner), revoked_by=owner
    )
    other_shop = make_shop(name="Hộ Giàng A Páo", province_code=8)
    operator = User.objects.create(username="vanhanh", role=Role.OPERATOR, is_staff=True, is_superuser=True)
    buyer = make_user()

    client = Client()
    client.force_login(buyer)
    body = _checkout_body(variant)
    response = client.post("/api/v1/checkout", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=BUYER_KEY)
    assert response.status_code == 201, response.content
    users = {
        "anonymous": None,
        "buyer": buyer,
        "other_producer": other_shop.producer.owner,
        "helper_without_delegation": make_user(role=Role.HELPER),
        "revoked_helper": revoked,
        "other_post_office": staff_x,
        "operator": operator,
        "owner": owner,
        "helper": helper,
        "post_office": staff_y,
    }
    return World(
        shop=shop,
        product=product,
        variant=variant,
        photo=photo,
        lot=lot,
        shop_order=shop_order,
        coming=coming,
        waiting=waiting,
        delegation=delegation,
        buyer_order=Order.objects.get(code=response.json()["code"]),
        checkout_body=body,
        other_shop=other_shop,
        users=users,
    )
