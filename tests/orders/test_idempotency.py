"""Idempotency keys are the caller's own: scoped to the account, the web session or the buyer's phone, and
stored with a hash of the request (orders/idempotency.py)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from taybac.orders.checkout import Contact, LineRequest, place, place_order
from taybac.orders.idempotency import IdempotencyKeyReused, request_hash, scope_for
from taybac.orders.models import Order
from taybac.regions.services import create_address
from tests.factories import make_product, make_user

LAN = Contact(name="Trần Thị Lan", phone="0912 345 678")
MAI = Contact(name="Lò Thị Mai", phone="0987 654 321")


@pytest.fixture
def honey(db):
    return make_product(name="Mật ong bạc hà", quantity=20).variants.get()


@pytest.fixture
def address(db):
    return create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")


def buy(honey, address, *, contact=LAN, quantity=1, key="shared-key", buyer=None, session_key=None):
    return place(
        buyer=buyer,
        lines=[LineRequest(honey.pk, quantity)],
        contact=contact,
        payment_method="cod",
        delivery_address=address,
        idempotency_key=key,
        session_key=session_key,
    )


def test_same_request_replays_the_callers_order(honey, address):
    first = buy(honey, address)
    again = buy(honey, address, contact=Contact(name=" Trần Thị Lan ", phone="+84912345678"))  # same request
    assert not first.replayed and again.replayed and again.order.pk == first.order.pk
    assert first.order.idempotency_scope == "phone:+84912345678" and len(first.order.request_hash) == 64


def test_another_buyers_key_is_a_new_key_and_never_their_order(honey, address):
    lan = buy(honey, address).order
    mai = buy(honey, address, contact=MAI, quantity=2)  # Mai sends Lan's key
    assert not mai.replayed and mai.order.pk != lan.pk and mai.order.contact_phone == "+84987654321"
    assert Order.objects.filter(idempotency_key="shared-key").count() == 2
    honey.refresh_from_db()
    assert honey.allocated == 3


def test_a_signed_in_caller_with_a_guests_exact_request_gets_a_new_order(honey, address):
    lan = buy(honey, address).order
    other = buy(honey, address, buyer=make_user()).order  # Lan's key and Lan's whole body
    assert other.pk != lan.pk and other.code != lan.code and other.idempotency_scope.startswith("user:")


def test_same_key_with_another_request_is_refused(honey, address):
    buy(honey, address)
    with pytest.raises(IdempotencyKeyReused) as refused:
        buy(honey, address, quantity=2)
    assert refused.value.code == "idempotency_key_reused"
    with pytest.raises(IdempotencyKeyReused):
        place(
            buyer=None,
            lines=[LineRequest(honey.pk, 1)],
            contact=LAN,
            payment_method="vietqr",
            delivery_address=address,
            idempotency_key="shared-key",
        )
    assert Order.objects.count() == 1


def test_sessions_are_scopes_of_their_own(honey, address):
    one = buy(honey, address, session_key="session-one").order
    two = buy(honey, address, session_key="session-two").order
    assert one.pk != two.pk and buy(honey, address, session_key="session-one").order.pk == one.pk
    assert "session-one" not in one.idempotency_scope and one.idempotency_scope == scope_for(
        user=None, session_key="session-one"
    )


def test_the_request_hash_is_canonical():
    base = {
        "name": "Lan",
        "phone": "+84912345678",
        "email": "",
        "payment_method": "cod",
        "delivery": (1, 70, "12 Hàng Bạc"),
        "pickup_point": None,
    }
    assert request_hash(lines={5: 1, 3: 2}, **base) == request_hash(lines={3: 2, 5: 1}, **{**base, "name": " Lan "})
    assert request_hash(lines={5: 1}, **base) != request_hash(lines={5: 2}, **base)
    assert request_hash(lines={5: 1}, **base) != request_hash(
        lines={5: 1}, **{**base, "delivery": None, "pickup_point": "BD-1"}
    )


def _form(client: Client, honey) -> dict[str, str]:
    client.post("/gio-hang/sua/", {"variant": honey.pk, "quantity": 1, "add": "1"})
    token = re.search(r'name="token" value="([0-9a-f]+)"', client.get("/gio-hang/?tinh=1").content.decode()).group(1)
    return {
        "token": token,
        "tinh": "1",
        "ten": "Trần Thị Lan",
        "sdt": "0912 345 678",
        "nhan": "tan-noi",
        "xa": "70",
        "dia_chi": "12 Hàng Bạc",
        "thanh_toan": "cod",
    }


def test_the_checkout_page_token_is_scoped_to_the_browser_session(honey):
    lan, mai = Client(), Client()
    form = _form(lan, honey)
    placed = lan.post("/gio-hang/?tinh=1", form)
    assert placed.status_code == 302 and lan.post("/gio-hang/?tinh=1", form)["Location"] == placed["Location"]
    order = Order.objects.get()
    assert order.idempotency_scope.startswith("session:")
    stolen = mai.post("/gio-hang/?tinh=1", form)  # Mai replays Lan's form with an empty cart: not Lan's order
    assert stolen.status_code == 200 and order.code not in stolen.content.decode()
    _form(mai, honey)
    mine = mai.post("/gio-hang/?tinh=1", {**form, "ten": "Lò Thị Mai", "sdt": "0987654321"})
    assert mine.status_code == 302 and order.code not in mine["Location"] and Order.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_migration_scopes_existing_keys_so_their_replays_still_match(honey, address):
    """Rows keyed before the scope existed get the scope and request hash a retry would compute."""
    executor = MigrationExecutor(connection)
    executor.migrate([("orders", "0005_shoporder_arrived_at_pickup")])
    old = executor.loader.project_state(("orders", "0005_shoporder_arrived_at_pickup")).apps
    legacy = old.get_model("orders", "Order").objects.create(
        code="TBLEGACY01",
        contact_name="Trần Thị Lan",
        contact_phone="+84912345678",
        payment_method="cod",
        delivery_address_id=address.pk,
        idempotency_key="shared-key",
    )
    shop_order = old.get_model("orders", "ShopOrder").objects.create(
        order=legacy,
        shop_id=honey.shop_id,
        code="TBLEGACY02",
        status="confirmed",
        items_total=honey.price,
        shipping_fee=0,
        total=honey.price,
    )
    old.get_model("orders", "OrderLine").objects.create(
        shop_order=shop_order,
        shop_id=honey.shop_id,
        variant_id=honey.pk,
        product_name="Mật ong",
        variant_name="Hũ",
        unit_price=honey.price,
        quantity=1,
        line_total=honey.price,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    again = place_order(
        buyer=None,
        lines=[LineRequest(honey.pk, 1)],
        contact=LAN,
        payment_method="cod",
        delivery_address=address,
        idempotency_key="shared-key",
    )
    assert again.pk == legacy.pk and again.idempotency_scope == "phone:+84912345678"
    stranger = buy(honey, address, contact=MAI).order
    assert stranger.pk != legacy.pk
