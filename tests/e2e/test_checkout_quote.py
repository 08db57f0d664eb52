"""On a 360 px phone: a cart from two shops shows its item count and a remove button per line; checkout shows
each shop's delivery fee and the grand total before placing (home delivery and a post office, listed with its
address and opening hours); the order page then shows ONE VietQR for the total, read back by ZXing, with a PNG
to save and the transfer details to copy.

Set TAYBAC_SHOTS=/some/folder to keep screenshots of the cart, the checkout and the order page.
"""

from __future__ import annotations

from taybac.orders.checkout import LineRequest
from taybac.orders.models import Order
from taybac.orders.quote import quote_cart
from taybac.payments.selectors import order_due
from taybac.regions.models import PickupPoint
from taybac.regions.services import create_address
from tests.e2e.phone import fits_phone, shot
from tests.factories import make_product, make_shop
from tests.payments.qr_decode import decode_qr


def test_multi_shop_checkout_shows_fees_and_total_then_one_qr(page360, live_server):
    honey = make_product(shop=make_shop(name="Hộ Giàng A Páo", province_code=15), name="Mật ong bạc hà", price=350_000)
    tea = make_product(
        shop=make_shop(name="HTX Chè Suối Giàng", province_code=14),
        name="Chè Shan tuyết",
        category_slug="che",
        price=220_000,
        weight_grams=1_500,
    )
    chili = make_product(shop=honey.shop, name="Tương ớt Mường Khương", price=45_000)
    PickupPoint.objects.create(
        code="BD-HK",
        name="Bưu điện Hoàn Kiếm",
        address=create_address(province_code=1, commune_code=70, street="75 Đinh Tiên Hoàng"),
        opening_hours="7:00–19:00, cả Chủ nhật",
    )
    page = page360
    for product in (honey, tea, chili):
        page.goto(live_server.url + product.get_absolute_url())
        page.click("button.buy")
        page.wait_for_url("**/gio-hang/")
    assert "(3 sản phẩm)" in page.locator("h1").inner_text()
    # Remove a line with its button (a form POST).
    page.locator(".co-cline", has_text="Tương ớt").locator("button", has_text="Xóa").click()
    page.wait_for_url("**/gio-hang/")
    assert "(2 sản phẩm)" in page.locator("h1").inner_text() and "Tương ớt" not in page.content()
    shot(page, "cart")
    fits_phone(page)

    page.select_option("select[name=tinh]", label="Thành phố Hà Nội")
    page.click("text=Chọn tỉnh")
    page.wait_for_load_state()
    with page.expect_navigation():  # choosing the commune re-prices at once (web/checkout.js)
        page.select_option("select[name=xa]", value="70")
    quote = quote_cart(
        lines=[LineRequest(honey.variants.get().pk, 1), LineRequest(tea.variants.get().pk, 1)],
        province_code=1,
        commune_code=70,
    )
    table = page.locator("table.co-quote")
    for shop in quote.shops:  # each shop's fee and subtotal, before anything is placed
        row = table.locator("tr", has_text=shop.shop_name).inner_text()
        assert f"{shop.shipping_fee:,} ₫".replace(",", ".") in row and f"{shop.total:,} ₫".replace(",", ".") in row
    grand = f"{quote.total:,} ₫".replace(",", ".")
    assert (
        grand in table.locator("tr.co-grand").inner_text()
        and grand in page.locator("button", has_text="Đặt hàng").inner_text()
    )
    assert not Order.objects.exists()
    # The post office choice shows its address and opening hours.
    office = page.locator(".co-pk", has_text="Bưu điện Hoàn Kiếm").inner_text()
    assert "75 Đinh Tiên Hoàng" in office and "Giờ mở cửa: 7:00–19:00, cả Chủ nhật" in office
    with page.expect_navigation():
        page.check("input[name=nhan][value=buu-dien]")
    with page.expect_navigation():  # re-priced for the post office: the same commune, the same total
        page.check("input[name=diem][value=BD-HK]")
    assert "nhận tại Bưu điện Hoàn Kiếm" in page.locator("tr.co-grand").inner_text()
    assert grand in page.locator("tr.co-grand").inner_text() and not Order.objects.exists()
    page.fill("input[name=ten]", "Trần Thị Lan")
    page.fill("input[name=sdt]", "0912 345 678")
    shot(page, "checkout")
    fits_phone(page)
    page.locator("button", has_text="Đặt hàng").click()
    page.wait_for_url("**/don-hang/**")

    order = Order.objects.get()
    assert sum(so.total for so in order.shop_orders.all()) == quote.total  # charged what was shown
    assert page.locator(".qr svg").count() == 1  # one QR for the whole checkout
    assert decode_qr(page.locator(".qr svg").screenshot()) == order_due(order.pk).transfer.vietqr
    assert "đại lý thu hộ" in page.locator(".co-pay").inner_text()
    assert page.locator("#ck-nd").inner_text() == order.code
    assert page.locator("button[data-copy]:visible").count() in (0, 3)  # shown only where the clipboard API exists
    assert "Bưu điện Hoàn Kiếm" in page.locator(".co-pickup").inner_text()
    assert page.locator("section.so").count() == 2
    with page.expect_download() as download:
        page.click("text=Lưu mã QR về máy")
    assert download.value.suggested_filename.startswith(f"vietqr-TB-{order.code[2:6]}-")
    shot(page, "order")
    fits_phone(page)
