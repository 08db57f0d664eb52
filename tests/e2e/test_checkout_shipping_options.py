"""On a 360 px phone with JavaScript off: checkout lists the shipping options of the shop's order (the hub's
network, and GHN's services — GHN faked at its HTTP transport with its documented answers), the buyer picks one,
"Tính phí" re-prices, and the order page, the receipt and "my orders" then show the same service, delivery days
and fee that were charged.

Set TAYBAC_SHOTS=/some/folder to keep screenshots of the checkout and the order page.
"""

from __future__ import annotations

import pytest

from taybac.logistics.areas import sync_from
from taybac.orders.models import Order
from taybac.orders.shipping import provider, register_provider
from tests.e2e.phone import fits_phone, shot
from tests.factories import make_product
from tests.logistics.sender_world import DONG_VAN, Y_TY, settle_sender, shop_in
from tests.logistics.test_areas import ghn_master, write
from tests.logistics.test_options import ghn_transport, with_ghn

LAO_CAI = 15


def vnd(amount: int) -> str:
    return f"{amount:,} ₫".replace(",", ".")


@pytest.fixture
def ghn_configured():
    """GHN as if its credentials were set: the registered provider asks it through a fake transport."""
    before = provider()
    register_provider(provider=with_ghn(ghn_transport()))
    yield
    register_provider(provider=before)


@pytest.fixture
def phone_without_js(browser, transactional_db):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _look(page, name: str) -> None:
    fits_phone(page)  # Playwright measures even with JS off
    shot(page, name)


def test_the_buyer_picks_a_shipping_option_and_the_order_shows_the_same_fee(
    phone_without_js, live_server, ghn_configured, tmp_path
):
    sync_from(carrier="ghn", path=write(tmp_path, ghn_master()))
    tea = make_product(shop=settle_sender(shop_in(DONG_VAN)), name="Chè Shan tuyết", category_slug="che", price=220_000)
    page = phone_without_js
    page.goto(live_server.url + tea.get_absolute_url())
    page.click("button.buy")
    page.wait_for_url("**/gio-hang/")
    page.select_option("select[name=tinh]", value=str(LAO_CAI))
    page.click("text=Chọn tỉnh")
    page.wait_for_load_state()
    assert "Chọn xã/phường" in page.content() and page.locator("input[name^=giao_]").count() == 0
    page.select_option("select[name=xa]", value=str(Y_TY))
    page.click("button[name=tinh_phi]")  # without JavaScript the button re-prices
    page.wait_for_load_state()

    options = page.locator("#cach-giao .co-pk")
    assert options.count() == 3
    hub = options.nth(0).inner_text()
    assert "Mạng lưới bưu điện xã Tây Bắc Hub" in hub and "Giao trong 2–3 ngày" in hub
    assert options.nth(0).locator("input").is_checked()  # the default: the hub's network
    assert (
        "GHN Hàng nhẹ · 47.500 ₫" in options.nth(1).inner_text() and "Giao trong 3 ngày" in options.nth(1).inner_text()
    )
    options.nth(1).locator("input").check()
    page.click("button[name=tinh_phi]")
    page.wait_for_load_state()
    assert page.locator("#cach-giao .co-pk").nth(1).locator("input").is_checked()
    grand = vnd(220_000 + 47_500)
    assert (
        grand in page.locator("tr.co-grand").inner_text()
        and grand in page.locator("button", has_text="Đặt hàng").inner_text()
    )
    page.fill("input[name=ten]", "Trần Thị Lan")
    page.fill("input[name=sdt]", "0912 345 678")
    page.fill("input[name=dia_chi]", "Thôn Tả Gia Khâu")
    _look(page, "shipping-options")
    assert not Order.objects.exists()
    page.locator("button", has_text="Đặt hàng").click()
    page.wait_for_url("**/don-hang/**")

    so = Order.objects.get().shop_orders.get()
    assert (so.shipping_carrier, so.shipping_service, so.shipping_fee, so.total) == ("ghn", "2", 47_500, 267_500)
    fee_row = page.locator("section.so tr", has_text="Phí giao hàng").inner_text()
    assert "GHN Hàng nhẹ, giao trong 3 ngày" in fee_row and vnd(47_500) in fee_row
    assert vnd(267_500) in page.locator("section.so").inner_text()
    _look(page, "order-shipping")
    receipt = page.locator("a", has_text="Biên nhận").get_attribute("href")
    page.goto(live_server.url + receipt)
    fee_row = page.locator("tr", has_text="Phí giao hàng").inner_text()
    assert "Phí giao hàng (GHN Hàng nhẹ, giao trong 3 ngày" in fee_row and vnd(47_500) in fee_row
