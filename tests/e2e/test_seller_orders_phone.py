"""On a 360 px phone: the seller's order tabs with their counts, a cancellation that asks first (without
JavaScript) and says the buyer is told by SMS; the product page's quantity picker, its lot stories, and prices
and units that stay on one line."""

from __future__ import annotations

import datetime
import re

from taybac.fulfilment.services import pack_shop_order
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.models import ShopOrder, Status
from taybac.regions.services import create_address
from taybac.traceability.services import record_harvest
from tests.e2e.phone import shot, signed_in_phone
from tests.factories import make_product, make_shop


def _one_line(page, selector: str) -> list[str]:
    """The texts of elements matching `selector` that a line break split (an inline box over two lines has two
    client rectangles)."""
    return page.eval_on_selector_all(
        selector, "els => els.filter(e => e.getClientRects().length > 1).map(e => e.textContent)"
    )


def test_seller_works_through_tabs_and_cancels_with_confirmation(browser, live_server, transactional_db):
    shop = make_shop(name="Hộ Giàng A Páo", province_code=15)
    variant = make_product(shop=shop, name="Mật ong bạc hà", price=1_380_000, quantity=20).variants.get()
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    orders = [
        place_order(
            buyer=None,
            lines=[LineRequest(variant.pk, 2)],
            contact=Contact(name, "0912345678"),
            payment_method="cod",
            delivery_address=address,
        ).shop_orders.get()
        for name in ("Trần Thị Lan", "Lò Văn Páo", "Vàng Thị Mai")
    ]
    pack_shop_order(actor=shop.producer.owner, shop_order=orders[2])
    context, page = signed_in_phone(browser, live_server.url, shop.producer.owner, javascript=False)
    try:
        page.goto(live_server.url + "/ban-hang/don-hang/")
        tabs = [" ".join(t.split()) for t in page.locator("nav.tabs a").all_inner_texts()]
        assert tabs[:3] == ["Tất cả 3", "Mới 2", "Chờ giao 1"] and "Đã hủy 0" in tabs
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert _one_line(page, ".vnd, .nw, nav.tabs a") == []
        page.click("nav.tabs a:has-text('Mới')")
        page.wait_for_url("**/ban-hang/don-hang/?tab=moi")
        shot(page, "seller-orders")
        assert page.locator(".plist > li").count() == 2
        cancel = page.locator(".plist > li", has_text="Lò Văn Páo").locator("button.danger")
        assert cancel.inner_text() == "Hủy đơn"
        # a real, filled button (not a link): the danger colour on white text
        assert cancel.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(179, 38, 30)"
        cancel.click()
        page.wait_for_url(re.compile(rf".*/ban-hang/don-hang/{orders[1].pk}/huy/\??$"))  # a GET form: "?" at the end
        what = page.locator(".what").inner_text()
        assert "Lò Văn Páo) nhận SMS báo gian hàng đã hủy đơn" in what and "chưa trả gì" in what
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "seller-order-cancel")
        page.fill("input[name=reason]", "Hết hàng")
        page.click("button:has-text('Hủy đơn và báo người mua')")
        page.wait_for_url("**/ban-hang/don-hang/")
        assert "Người mua đã được báo qua SMS" in page.locator(".messages").inner_text()
        assert ShopOrder.objects.get(pk=orders[1].pk).status == Status.CANCELLED
        assert ShopOrder.objects.get(pk=orders[0].pk).status == Status.CONFIRMED
        tabs = [" ".join(t.split()) for t in page.locator("nav.tabs a").all_inner_texts()]
        assert "Mới 1" in tabs and "Đã hủy 1" in tabs
    finally:
        context.close()


def test_product_page_quantity_picker_lot_stories_and_no_wrapping(page360, live_server):
    product = make_product(
        shop=make_shop(name="HTX Mật ong Mèo Vạc", province_code=8),
        name="Mật ong bạc hà Mèo Vạc",
        price=1_380_000,
        quantity=3,
        unit="chai",
        variant_name="Chai thủy tinh 500 ml",
    )
    variant = product.variants.get()
    record_harvest(
        actor=product.shop.producer.owner,
        variant=variant,
        harvested_on=datetime.date.today() - datetime.timedelta(days=30),
        quantity=40,
        code="MV-BH-01",
    )
    page = page360
    page.goto(live_server.url + product.get_absolute_url())
    qty = page.locator(f"#q{variant.pk}")
    plus, minus = page.locator(".qup"), page.locator(".qdown")
    assert qty.input_value() == "1" and minus.is_disabled()
    for _ in range(4):  # one more than the stock: the picker stops at 3
        if plus.is_enabled():
            plus.click()
    assert qty.input_value() == "3" and plus.is_disabled()
    minus.click()
    assert qty.input_value() == "2"
    assert _one_line(page, ".vars .vnd, .vars .nw") == []
    price_box = page.locator(".vars .vnd").first.bounding_box()
    line = page.eval_on_selector(".vars .vnd", "e => parseFloat(getComputedStyle(e).lineHeight) || 0")
    assert price_box and (not line or price_box["height"] <= line * 1.2)  # one line tall
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "product-page")
    story = page.locator(".lotlinks a")
    assert story.inner_text() == "Lô MV-BH-01"
    page.click("button.buy")
    page.wait_for_url("**/gio-hang/")
    assert "2" in page.locator("input[name=quantity]").first.input_value()
    page.goto(live_server.url + product.get_absolute_url())
    page.click(".lotlinks a")
    page.wait_for_url(f"**/01/{variant.gtin}/10/MV-BH-01")
    assert "MV-BH-01" in page.content()


def test_quantity_without_javascript(browser, live_server, transactional_db):
    product = make_product(name="Chè Shan tuyết", category_slug="che", quantity=5)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + product.get_absolute_url())
        assert not page.locator(".qup").is_visible()  # the buttons need JavaScript; the field does not
        page.fill("input[name=quantity]", "4")
        page.click("button.buy")
        page.wait_for_url("**/gio-hang/")
        assert page.locator("input[name=quantity]").first.input_value() == "4"
    finally:
        context.close()


def test_photo_and_helper_removal_ask_first_without_javascript(browser, live_server, transactional_db):
    from taybac.accounts.services import grant_delegation
    from taybac.catalog.services import add_photo
    from tests.catalog.test_images import jpeg_bytes
    from tests.factories import make_user

    shop = make_shop(name="Hộ Giàng A Páo", province_code=15)
    product = make_product(shop=shop, name="Mật ong bạc hà")
    owner = shop.producer.owner
    for _ in range(2):
        add_photo(actor=owner, product=product, data=jpeg_bytes(640, 480))
    helper = make_user(role="helper", full_name="Lò Thị Hiền")
    delegation = grant_delegation(producer=shop.producer, delegate=helper, granted_by=owner)
    context, page = signed_in_phone(browser, live_server.url, owner, javascript=False)
    try:
        page.goto(live_server.url + f"/ban-hang/san-pham/{product.pk}/anh/")
        page.click("button:has-text('Xóa ảnh 1')")
        page.wait_for_url(re.compile(r".*/ban-hang/anh/\d+/xoa/\??$"))
        assert "Sản phẩm còn 1 ảnh" in page.locator(".what").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "seller-photo-remove")
        page.click("button.danger")
        page.wait_for_url(f"**/ban-hang/san-pham/{product.pk}/anh/")
        assert product.photos.count() == 1
        page.goto(live_server.url + "/ban-hang/uy-quyen/")
        page.click("button.danger:has-text('Thu hồi')")
        page.wait_for_url(re.compile(rf".*/ban-hang/uy-quyen/{delegation.pk}/thu-hoi/\??$"))
        assert "Họ không nhận SMS" in page.locator(".what").inner_text()
        shot(page, "seller-delegation-revoke")
        page.click("text=Không thu hồi, quay lại")
        page.wait_for_url("**/ban-hang/uy-quyen/")
        delegation.refresh_from_db()
        assert delegation.revoked_at is None  # going back changes nothing
    finally:
        context.close()
