"""The cart page's "Mã giảm giá": the quote shows the code's discount before placing and the order charges it;
a code that does not apply is refused in Vietnamese and nothing is placed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from taybac.accounts.models import Role
from taybac.orders.models import Order
from taybac.orders.vouchers import create_voucher
from tests.factories import make_user
from tests.web.orders.test_order_pages import checkout_form, fill_cart, two_variants  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"<[^>]+>", "", response.content.decode())


@pytest.fixture
def hub_voucher(db):
    now = timezone.now()
    return create_voucher(
        actor=make_user(role=Role.OPERATOR),
        shop=None,
        code="HOICHO10",
        kind="percent",
        value=10,
        max_discount=50_000,
        min_subtotal=300_000,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=3),
        total_limit=100,
    )


def test_the_quote_shows_the_discount_and_the_order_charges_it(client, two_variants, hub_voucher):
    fill_cart(client, *two_variants)  # 350,000 + 220,000: 10 % is 57,000, capped at 50,000
    form = checkout_form(client, ma_giam_gia="hoicho10", tinh_phi="1")
    page = client.post("/gio-hang/?tinh=1", form)
    shown = text(page)
    assert page.status_code == 200 and "Mã giảm giá HOICHO10" in shown and "−50.000 ₫" in shown
    total = int(re.search(r'name="tong" value="(\d+)"', page.content.decode()).group(1))
    del form["tinh_phi"]
    response = client.post("/gio-hang/?tinh=1", {**form, "tong": str(total)})
    assert response.status_code == 302
    order = Order.objects.get()
    assert sum(so.discount for so in order.shop_orders.all()) == 50_000
    assert sum(so.total for so in order.shop_orders.all()) == total


@pytest.mark.parametrize(
    ("code", "message"),
    [("KHONGCO", "Mã giảm giá không đúng hoặc đã ngừng."), ("x", "3–20 ký tự"), ("HOICHO10", "Đơn chưa đủ 300.000")],
)
def test_a_code_that_does_not_apply_shows_why_and_places_nothing(client, two_variants, hub_voucher, code, message):
    fill_cart(client, two_variants[1])  # 220,000 of goods: below the minimum
    form = checkout_form(client, ma_giam_gia=code, tong="1")
    response = client.post("/gio-hang/?tinh=1", form)
    assert response.status_code == 400 and message in text(response)
    assert not Order.objects.exists()
