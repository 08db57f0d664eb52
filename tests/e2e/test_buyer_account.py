"""On a 360 px phone, the buyer's account: signing in lands on their orders (not on seller sign-up), one header with
sign-out, the address book, cancelling a shop order, a return the seller accepts, and the look-up by code and
phone that never puts the phone in an address.

Set TAYBAC_SHOTS=/some/folder to keep screenshots of the header, the orders, the address book and the
return form.
"""

from __future__ import annotations

from taybac.fulfilment.services import deliver_shop_order
from taybac.orders.models import ReturnRequest, Status
from tests.e2e.phone import SHOTS, fits_phone, shot
from tests.factories import make_user
from tests.fulfilment.parcels import placed_order, shipped_order
from tests.web.centre.conftest import CapturingSender

PHONE = "0912345678"
PHONE_SHOWN = "0912 345 678"


def _sign_in(page, base: str, phone: str, lands_on: str) -> None:
    page.goto(base + "/dang-nhap/")
    page.fill("input[name=phone]", phone)
    page.click("button.btn")
    page.wait_for_url("**/dang-nhap/ma/")
    page.fill("input[name=code]", CapturingSender.sent[-1][1])
    page.click("button.btn")
    page.wait_for_url(f"**{lands_on}")


def _buyer(phone: str = "+84912345678"):
    user = make_user(full_name="Trần Thị Lan")
    user.phone = phone
    user.save(update_fields=["phone"])
    return user


def test_buyer_signs_in_to_orders_keeps_addresses_and_signs_out(page360, live_server, otp_outbox):
    shop_order = placed_order(None, payment_method="cod", phone=PHONE)  # placed as a guest with this phone
    _buyer()
    page = page360
    _sign_in(page, live_server.url, PHONE, "/don-mua/")
    assert shop_order.shop.name in page.locator("main").inner_text()
    assert "Đã xác nhận" in page.locator(".st-confirmed").inner_text()
    nav = page.locator("header .nav")
    assert nav.locator("text=Đơn mua").count() == 1 and nav.locator("text=Địa chỉ").count() == 1
    assert nav.locator("text=Bán hàng").count() == 0 and nav.locator("button:has-text('Đăng xuất')").count() == 1
    fits_phone(page)
    shot(page, "buyer-orders")
    if SHOTS:
        page.locator("header").screenshot(path=f"{SHOTS}/buyer-header.png")

    nav.locator("text=Địa chỉ").click()
    page.wait_for_url("**/dia-chi/")
    page.fill("input[name=name]", "Trần Thị Lan")
    page.fill("input[name=phone]", "0912 345 678")
    page.select_option("select[name=tinh]", label="Thành phố Hà Nội")
    page.click("text=Chọn tỉnh (hiện xã/phường)")
    page.select_option("select[name=xa]", label="Phường Hoàn Kiếm")
    page.fill("input[name=street]", "12 Hàng Bạc")
    page.click("text=Lưu địa chỉ")
    page.wait_for_selector("text=Đã lưu địa chỉ")
    assert "12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội" in page.locator(".addr").inner_text()
    assert "Mặc định" in page.locator(".addr").inner_text()
    fits_phone(page)
    shot(page, "buyer-addresses")

    page.goto(live_server.url + shop_order.lines.get().variant.product.get_absolute_url())  # and at checkout:
    page.click("button.buy")
    page.wait_for_url("**/gio-hang/")
    page.click(".sa-pick button")  # one tap fills the form; nothing is placed
    page.wait_for_selector("#checkout")
    assert page.input_value("input[name=ten]") == "Trần Thị Lan" and page.input_value("input[name=sdt]") == PHONE_SHOWN
    assert page.input_value("input[name=dia_chi]") == "12 Hàng Bạc"
    assert page.locator("select[name=xa] option:checked").inner_text() == "Phường Hoàn Kiếm"
    fits_phone(page)
    shot(page, "buyer-checkout-address")

    page.click("header button:has-text('Đăng xuất')")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("header .nav >> text=Đăng nhập").count() == 1


def test_buyer_cancels_a_shop_order_before_it_is_packed(page360, live_server, otp_outbox):
    shop_order = placed_order(None, payment_method="cod", phone=PHONE, quantity=2)
    _buyer()
    page = page360
    _sign_in(page, live_server.url, PHONE, "/don-mua/")
    page.click("text=Xem đơn, hủy hoặc trả hàng")
    page.wait_for_url(f"**/don-hang/{shop_order.order.code}/")
    fits_phone(page)
    shot(page, "buyer-order")
    page.click("text=Hủy đơn này")
    page.wait_for_url(f"**/huy/{shop_order.code}/")
    assert "trả lại kho" in page.locator("main").inner_text()
    fits_phone(page)
    shot(page, "buyer-cancel")
    page.click("main button:has-text('Hủy đơn này')")
    page.wait_for_selector("text=Đã hủy đơn của")
    assert page.locator(".st-cancelled").count() == 1 and page.locator("text=Hủy đơn này").count() == 0
    shop_order.refresh_from_db()
    assert shop_order.status == Status.CANCELLED


def test_buyer_asks_for_a_return_and_the_seller_accepts(browser, live_server, otp_outbox, transactional_db):
    shop_order = shipped_order(None, payment_method="cod", phone=PHONE)
    owner = shop_order.shop.producer.owner
    deliver_shop_order(actor=owner, shop_order=shop_order, cash_collected=shop_order.total)
    _buyer()
    buyer_context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    seller_context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    try:
        page = buyer_context.new_page()
        page.set_default_timeout(15_000)
        _sign_in(page, live_server.url, PHONE, "/don-mua/")
        page.goto(f"{live_server.url}/don-hang/{shop_order.order.code}/")
        page.click("text=Yêu cầu trả hàng / hoàn tiền")
        page.wait_for_url(f"**/tra-hang/{shop_order.code}/")
        page.fill("textarea[name=reason]", "Chè bị ẩm, gói rách khi nhận")
        fits_phone(page)
        shot(page, "buyer-return")
        page.click("text=Gửi yêu cầu")
        page.wait_for_selector("text=Đã gửi yêu cầu trả hàng")
        assert "Chờ gian hàng trả lời" in page.locator(".bact").inner_text()

        seller = seller_context.new_page()
        seller.set_default_timeout(15_000)
        _sign_in(seller, live_server.url, "0" + owner.phone[3:], "/ban-hang/")
        assert seller.locator("header .nav >> text=Bán hàng").count() == 1
        seller.goto(live_server.url + "/ban-hang/tra-hang/")
        assert "Chè bị ẩm, gói rách khi nhận" in seller.locator("main").inner_text()
        fits_phone(seller)
        shot(seller, "seller-returns")
        seller.click("text=Đồng ý trả hàng, hoàn tiền")
        seller.wait_for_selector("text=Đã trả lời người mua")
        assert ReturnRequest.objects.get().state == ReturnRequest.State.ACCEPTED

        page.reload()
        shot(page, "buyer-returned")
        actions = page.locator(".bact").inner_text()
        assert "Gian hàng đồng ý trả hàng" in actions and "sẽ chuyển lại" in actions
        assert page.locator(".st-returned").count() == 1
    finally:
        buyer_context.close()
        seller_context.close()


def test_look_up_by_code_and_phone_never_puts_the_phone_in_an_address(page360, live_server):
    order = placed_order(None, payment_method="cod", phone=PHONE).order
    page = page360
    visited: list[str] = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    page.goto(f"{live_server.url}/tra-cuu/?ma={order.code}")  # as the SMS link opens it: the code filled in
    assert page.input_value("input[name=ma]") == order.code
    page.fill("input[name=sdt]", "0912 345 678")
    shot(page, "buyer-track")
    page.click("main button:has-text('Tra cứu')")
    page.wait_for_url(f"**/don-hang/{order.code}/?k=*")
    assert order.contact_name in page.locator("main").inner_text()
    fits_phone(page)
    assert visited and not any("912345678" in url or "sdt=" in url for url in visited), visited
    assert "912345678" not in page.evaluate("location.href")
