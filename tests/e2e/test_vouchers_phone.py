"""On a 360 px phone without JavaScript: the buyer types a voucher code in the cart, "Tính phí" shows its discount
in the total, and "Đặt hàng" charges it. Set TAYBAC_SHOTS=/some/folder to keep the screenshot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from taybac.accounts.models import Role
from taybac.orders.models import Order
from taybac.orders.vouchers import create_voucher
from tests.e2e.phone import fits_phone, shot
from tests.factories import make_product, make_shop, make_user

pytestmark = pytest.mark.browser


def test_a_voucher_in_the_cart_on_a_phone(browser, live_server, transactional_db):
    honey = make_product(shop=make_shop(name="Hộ Giàng A Páo", province_code=15), name="Mật ong bạc hà", price=350_000)
    now = timezone.now()
    create_voucher(
        actor=make_user(role=Role.OPERATOR), shop=None, code="HOICHO10", kind="percent", value=10,
        max_discount=50_000, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=3), total_limit=10,
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + honey.get_absolute_url())
        page.click("button.buy")
        page.wait_for_url("**/gio-hang/")
        page.goto(live_server.url + "/gio-hang/?tinh=1&xa=70")
        page.fill("input[name=ten]", "Trần Thị Lan")
        page.fill("input[name=sdt]", "0912 345 678")
        page.fill("input[name=dia_chi]", "12 Hàng Bạc")
        page.fill("input[name=ma_giam_gia]", "hoicho10")
        page.locator("button", has_text="Tính phí").click()
        page.wait_for_load_state()
        row = page.locator("table.co-quote tr", has_text="Mã giảm giá HOICHO10").inner_text()
        assert "−35.000 ₫" in row and "Sàn tài trợ" in row
        shot(page, "cart-voucher")
        fits_phone(page)
        page.locator("button", has_text="Đặt hàng").click()
        page.wait_for_url("**/don-hang/**")
        assert Order.objects.get().shop_orders.get().discount == 35_000
    finally:
        context.close()
