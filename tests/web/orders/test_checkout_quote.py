"""The cart page before placing: its item count and a remove button per line, the shipping options and the
chosen delivery fee per shop (once the commune or post office is known) and the grand total for home delivery
and for a post office (whose address and opening hours are listed), "Tính phí" re-pricing without placing, and
an order refused when it would charge another total than the page showed. After placing: the order page names
the post office, shows one VietQR for the checkout (a PNG to save, the transfer details to copy), each shop's
status and what remains; a cash order's code is no "payment code"."""

from __future__ import annotations

import re

import pytest

from taybac.orders.checkout import LineRequest
from taybac.orders.models import Order, Status
from taybac.orders.quote import quote_cart
from taybac.payments.models import Credit
from taybac.payments.selectors import order_due
from taybac.regions.models import Commune, PickupPoint, Province
from taybac.regions.services import create_address
from tests.payments.qr_decode import decode_qr
from tests.payments.test_reconciliation import KEY, notify
from tests.web.orders.test_order_pages import checkout_form, fill_cart, two_variants  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " ₫"


def text(response) -> str:
    """The page's text without tags (what a buyer reads)."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


@pytest.fixture
def post_office(db) -> PickupPoint:
    return PickupPoint.objects.create(
        code="BD-HK",
        name="Bưu điện Hoàn Kiếm",
        address=create_address(province_code=1, commune_code=70, street="75 Đinh Tiên Hoàng"),
        opening_hours="7:00–19:00, cả Chủ nhật",
        phone="02438255025",
    )


def test_the_cart_counts_its_items_and_removes_a_line_with_a_button(client, two_variants):
    honey, tea = two_variants
    fill_cart(client, honey, tea)
    client.post("/gio-hang/sua/", {"variant": honey.pk, "quantity": 3})
    page = client.get("/gio-hang/").content.decode()
    assert "(4 sản phẩm)" in page and page.count('name="xoa" value="1"') == 2
    response = client.post("/gio-hang/sua/", {"variant": honey.pk, "xoa": "1"}, follow=True)
    page = response.content.decode()
    assert "Đã xóa sản phẩm khỏi giỏ hàng" in page and "(1 sản phẩm)" in page and "Mật ong bạc hà" not in page


def test_fees_per_shop_and_grand_total_are_shown_before_placing_and_charged(client, two_variants):
    honey, tea = two_variants
    fill_cart(client, honey, tea)
    unpriced = text(client.get("/gio-hang/?tinh=1"))  # a province alone: no commune, so no options yet
    assert "Chọn xã/phường" in unpriced and "Đặt hàng ·" not in unpriced
    page = text(client.get("/gio-hang/?tinh=1&xa=70"))
    quote = quote_cart(lines=[LineRequest(honey.pk, 1), LineRequest(tea.pk, 1)], province_code=1, commune_code=70)
    for shop in quote.shops:
        assert f"phí giao {vnd(shop.shipping_fee)}" in page and vnd(shop.total) in page
        assert f"{shop.chosen.name} · {vnd(shop.chosen.fee)}" in page and f"Giao trong {shop.chosen.eta}" in page
    assert "Tổng thanh toán" in page and f"Đặt hàng · {vnd(quote.total)}" in page
    assert f'name="tong" value="{quote.total}"' in client.get("/gio-hang/?tinh=1&xa=70").content.decode()
    form = checkout_form(client, tong=str(quote.total))
    location = client.post("/gio-hang/?tinh=1", form)["Location"]
    order = Order.objects.get()
    assert sum(so.total for so in order.shop_orders.all()) == quote.total
    assert location.startswith(f"/don-hang/{order.code}/")


def test_tinh_phi_reprices_for_another_province_without_placing(client, two_variants):
    fill_cart(client, two_variants[0])  # a shop in Lào Cai (15)
    far = client.post("/gio-hang/", checkout_form(client, tinh_phi="1", ten="", sdt=""))
    in_lao_cai = Commune.objects.filter(province_id=15).order_by("code").first()
    near = client.post(
        "/gio-hang/", checkout_form(client, tinh="15", xa=str(in_lao_cai.pk), tinh_phi="1", ten="", sdt="")
    )
    assert far.status_code == near.status_code == 200 and not Order.objects.exists()
    fee = lambda page: int(re.search(r'name="tong" value="(\d+)"', page.content.decode()).group(1))  # noqa: E731
    assert fee(near) < fee(far)  # the same province is the cheapest zone
    assert f"Giao tới {in_lao_cai.name}, {Province.objects.get(pk=15).name}" in near.content.decode()


def test_an_order_is_refused_when_it_would_charge_another_total_than_shown(client, two_variants):
    fill_cart(client, two_variants[0])
    response = client.post("/gio-hang/?tinh=1", checkout_form(client, tong="1"))
    page = response.content.decode()
    assert response.status_code == 400 and "Tổng tiền vừa thay đổi" in page and not Order.objects.exists()
    assert 'name="dia_chi" value="12 Hàng Bạc"' in page  # the form is kept, with the new total to look at


def test_post_offices_show_address_and_hours_and_the_order_names_the_office(client, two_variants, post_office):
    fill_cart(client, two_variants[0])
    page = client.get("/gio-hang/?tinh=1").content.decode()
    assert "Bưu điện Hoàn Kiếm" in page and "75 Đinh Tiên Hoàng, Phường Hoàn Kiếm" in page
    assert "Giờ mở cửa: 7:00–19:00, cả Chủ nhật" in page
    form = checkout_form(client, nhan="buu-dien", diem="BD-HK", xa="", dia_chi="", thanh_toan="cod")
    requoted = client.post("/gio-hang/", {**form, "tinh_phi": "1"}).content.decode()
    assert "nhận tại Bưu điện Hoàn Kiếm" in requoted
    location = client.post("/gio-hang/", form)["Location"]
    order = Order.objects.get()
    page = client.get(location).content.decode()
    assert "Nhận tại <b>Bưu điện Hoàn Kiếm</b>" in page and "Giờ mở cửa: 7:00–19:00" in page
    assert "75 Đinh Tiên Hoàng" in page
    assert "Mã thanh toán" not in page and "mã thanh toán" not in page  # cash: the code is an order code
    so = order.shop_orders.get()
    receipt = client.get(re.search(r'href="([^"]*bien-nhan[^"]*)"', page).group(1).replace("&amp;", "&"))
    assert receipt.status_code == 200 and so.shop.name in receipt.content.decode()
    assert "Bưu điện Hoàn Kiếm</b>, 75 Đinh Tiên Hoàng" in receipt.content.decode()


def test_a_post_office_of_another_province_is_refused_on_tinh_phi_and_on_placing(client, two_variants, post_office):
    fill_cart(client, two_variants[0])
    form = checkout_form(client, tinh="15", nhan="buu-dien", diem="BD-HK")
    response = client.post("/gio-hang/", form)
    assert response.status_code == 400 and "không thuộc tỉnh" in response.content.decode()
    assert not Order.objects.exists()


def test_one_qr_for_the_checkout_a_png_to_save_and_details_to_copy(client, two_variants, settings):
    settings.TAYBAC_SEPAY_API_KEY = KEY
    fill_cart(client, *two_variants)
    location = client.post("/gio-hang/?tinh=1", checkout_form(client))["Location"]
    order = Order.objects.get()
    a, b = order.shop_orders.order_by("id")
    page = client.get(location).content.decode()
    assert page.count("<svg") == 1 and "đại lý thu hộ" in page and "web/copy.js" in page
    assert page.count("data-copy=") == 3 and 'class="co-sel"' in page
    png_link = re.search(r'href="([^"]*vietqr\.png[^"]*)" download', page).group(1).replace("&amp;", "&")
    png = client.get(png_link)
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    name = f"vietqr-TB-{order.code[2:6]}-{order.code[6:]}-{a.total + b.total}d.png"
    assert png["Content-Disposition"] == f'attachment; filename="{name}"'
    assert "no-store" in png["Cache-Control"]
    assert decode_qr(png.content) == order_due(order.pk).transfer.vietqr
    assert client.get(png_link.split("?")[0]).status_code == 404  # no key, no QR
    # A part payment: the first shop order paid, the second partly; the page shows both and what remains.
    notify(order.code, a.total + 20_000)
    html = client.get(location)
    page = text(html)
    assert "st-confirmed" in html.content.decode() and f"Đã thanh toán {vnd(a.total)}" in page
    assert f"Đã nhận một phần {vnd(20_000)}, còn thiếu {vnd(b.total - 20_000)}" in page
    assert f'data-value="{b.total - 20_000}"' in html.content.decode()  # the QR asks for the rest
    # Over-payment: everything paid, the surplus shown as owed back, no QR left.
    notify(order.code, b.total, tx=2)
    page = text(client.get(location))
    assert "VietQR" not in page.split("Tổng:")[1] and f"chuyển thừa {vnd(20_000)}" in page
    assert Credit.objects.get().amount == 20_000
    assert all(so.status == Status.CONFIRMED for so in order.shop_orders.all())
    assert client.get(png_link).status_code == 404


def test_the_cart_holds_at_most_the_lines_one_order_may_have(client, two_variants, monkeypatch):
    monkeypatch.setattr("taybac.web.views_orders.MAX_LINES", 1)
    honey, tea = two_variants
    fill_cart(client, honey)
    page = client.post("/gio-hang/sua/", {"variant": tea.pk, "quantity": 1, "add": "1"}, follow=True)
    assert "tối đa 1 sản phẩm khác nhau" in page.content.decode() and client.session["cart"] == {str(honey.pk): 1}
    client.post("/gio-hang/sua/", {"variant": honey.pk, "quantity": 2, "add": "1"})  # more of a line it holds
    assert client.session["cart"] == {str(honey.pk): 3}
