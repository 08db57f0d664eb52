"""Saved addresses at checkout: a signed-in buyer taps one and the checkout form is filled in; guests see none."""

from __future__ import annotations

import re

import pytest

from taybac.accounts.addresses import AddressInput, add_address
from taybac.orders.models import Order
from tests.factories import make_product, make_shop, make_user

pytestmark = pytest.mark.django_db


def _pick_forms(page: str) -> list[dict[str, str]]:
    forms = re.findall(r'<form method="post" action="/gio-hang/" class="sa-pick">(.*?)</form>', page, re.S)
    return [dict(re.findall(r'name="(\w+)" value="([^"]*)"', form)) for form in forms]


def test_a_saved_address_fills_the_checkout_form_and_places_nothing(client):
    variant = make_product(shop=make_shop(name="Hộ Giàng A Páo"), name="Mật ong bạc hà").variants.get()
    client.post("/gio-hang/sua/", {"variant": variant.pk, "quantity": 1, "add": "1"})
    assert "sa-pick" not in client.get("/gio-hang/").content.decode()  # a guest has no address book
    buyer = make_user()
    client.force_login(buyer)
    client.post("/gio-hang/sua/", {"variant": variant.pk, "quantity": 1, "add": "1"})
    add_address(
        actor=buyer,
        data=AddressInput(
            name="Trần Thị Lan", phone="+84912345678", province_code=1, commune_code=70, street="12 Hàng Bạc"
        ),
    )
    (picked,) = _pick_forms(client.get("/gio-hang/").content.decode())
    assert picked["sdt"] == "0912 345 678" and picked["tinh"] == "1" and picked["xa"] == "70"
    page = client.post("/gio-hang/", {**picked, "tinh_phi": "1"}).content.decode()
    assert 'name="ten" value="Trần Thị Lan"' in page and 'name="dia_chi" value="12 Hàng Bạc"' in page
    assert re.search(r'<option value="70" selected>Phường Hoàn Kiếm</option>', page)
    assert not Order.objects.exists()
