"""On a 360 px phone, without JavaScript: the seller opens an order, taps "Tạo vận đơn", checks the confirmation
(carrier, fee, cash to collect), books, and opens the phone label; the barcode and the QR on the screenshot read
back as the tracking code and the order look-up."""

from __future__ import annotations

import io

import zxingcpp
from django.conf import settings
from django.test import Client
from PIL import Image

from taybac.logistics.models import Shipment
from taybac.logistics.shipping_labels import tracking_url
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import Status
from taybac.regions.services import create_address
from tests.e2e.phone import shot
from tests.factories import make_product, make_shop, make_user
from tests.fulfilment.test_shipments import _shop_point


def _phone(browser, base: str, user):
    """A 360 px phone with a 2× screen (as most cheap Android phones), JavaScript off, signed in as `user`."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="vi-VN", java_script_enabled=False
    )
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_seller_books_a_shipment_and_opens_the_phone_label(browser, live_server, transactional_db):
    shop = make_shop(name="Hộ Giàng A Páo", province_code=15)
    variant = make_product(shop=shop, name="Mật ong bạc hà", price=350_000, quantity=20).variants.get()
    shop_order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 2)],
        contact=Contact("Trần Thị Lan", "0912345678"),
        payment_method="cod",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    ).shop_orders.get()
    context, page = _phone(browser, live_server.url, shop.producer.owner)
    try:
        page.goto(live_server.url + "/ban-hang/don-hang/")
        page.click("a:has-text('Tạo vận đơn')")
        assert page.url.endswith(f"/ban-hang/don-hang/{shop_order.pk}/van-don/")
        body = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        assert "Tây Bắc Hub" in body and "Thu hộ khi giao" in body and "Cước hãng tính hôm nay" in body
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "shipment-confirm")
        page.click("button:has-text('Tạo vận đơn')")
        shipment = Shipment.objects.get(shop_order=shop_order)
        assert page.url.endswith(f"/ban-hang/van-don/{shipment.pk}/")
        assert shipment.tracking_code in page.inner_text("body")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "shipment-page")
        shop_order.refresh_from_db()
        assert shop_order.status == Status.PACKED

        page.click("a:has-text('80 mm')")
        assert "/nhan/?kho=80" in page.url
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "shipment-label")
        picture = Image.open(io.BytesIO(page.screenshot(full_page=True)))
        found = {(r.format, r.text) for r in zxingcpp.read_barcodes(picture)}
        assert (zxingcpp.BarcodeFormat.Code128, shipment.tracking_code) in found
        assert (zxingcpp.BarcodeFormat.QRCode, tracking_url(shop_order.order.code)) in found
    finally:
        context.close()


def test_post_office_takes_a_parcel_in_and_prints_its_label(browser, live_server, transactional_db):
    shop = make_shop(name="HTX Chè Suối Giàng", province_code=15)
    variant = make_product(shop=shop, name="Chè Shan tuyết", price=180_000, quantity=20).variants.get()
    shop_order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 1)],
        contact=Contact("Vàng Thị Mai", "0987654321"),
        payment_method="cod",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    ).shop_orders.get()
    staff = make_user(full_name="Lò Thị Nga")
    _shop_point(shop_order, staff=[staff])
    context, page = _phone(browser, live_server.url, staff)
    try:
        page.goto(live_server.url + "/buu-dien/")
        page.click("a:has-text('Nhận gửi hàng')")
        assert page.locator(f"#gui-{shop_order.pk}").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "pickup-drops")
        page.click(f"#gui-{shop_order.pk} button:has-text('Nhận gửi')")
        shipment = Shipment.objects.get(shop_order=shop_order)
        assert page.url.endswith(f"/ban-hang/van-don/{shipment.pk}/nhan/")
        assert shipment.tracking_code in page.inner_text("main")
        shop_order.refresh_from_db()
        assert shop_order.status == Status.SHIPPED
        shot(page, "pickup-drop-label")
    finally:
        context.close()
