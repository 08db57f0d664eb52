"""A guest on a phone buys from two shops, gets one VietQR code for the whole checkout; transfers made with the
shop orders' own codes (as the earlier one-QR-per-shop pages asked: transfers in flight) still pay the order."""

import json

from django.test import Client

from taybac.orders.models import Order
from taybac.payments.selectors import order_due
from tests.factories import make_product, make_shop
from tests.payments.qr_decode import decode_qr
from tests.payments.test_sepay import PAYLOAD


def test_guest_buys_from_two_shops_and_pays_by_vietqr(page360, live_server, settings):
    settings.TAYBAC_SEPAY_API_KEY = "s3cret"
    honey = make_product(shop=make_shop(name="Hộ Giàng A Páo", province_code=15), name="Mật ong bạc hà", price=350_000)
    tea = make_product(
        shop=make_shop(name="HTX Chè Suối Giàng", province_code=14),
        name="Chè Shan tuyết",
        category_slug="che",
        price=220_000,
    )
    page = page360
    for product in (honey, tea):
        page.goto(live_server.url + product.get_absolute_url())
        page.click("button.buy")
        page.wait_for_url("**/gio-hang/")
    page.select_option("select[name=tinh]", label="Thành phố Hà Nội")
    page.click("text=Chọn tỉnh")
    page.fill("input[name=ten]", "Trần Thị Lan")
    page.fill("input[name=sdt]", "0912 345 678")
    page.select_option("select[name=xa]", label="Phường Hoàn Kiếm")
    page.fill("input[name=dia_chi]", "12 Hàng Bạc")
    page.click("text=Đặt hàng >> nth=-1")
    page.wait_for_url("**/don-hang/**")
    assert page.locator(".qr svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    order = Order.objects.get()
    # What the buyer's banking app would see: the QR as rendered on screen, read by a real decoder (ZXing).
    assert decode_qr(page.locator(".qr svg").screenshot()) == order_due(order.pk).transfer.vietqr
    for i, shop_order in enumerate(order.shop_orders.all()):
        body = {
            **PAYLOAD,
            "id": 100 + i,
            "content": f"MBVCB.1.{shop_order.code.lower()} CT tu 0123",
            "transferAmount": shop_order.total,
        }
        response = Client().post(
            "/api/v1/payments/notifications/sepay",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION="Apikey s3cret",
        )
        assert response.json()["outcome"] == "matched"
    page.reload()
    assert page.locator(".qr svg").count() == 0
    assert page.locator(".st-confirmed").count() == 2
