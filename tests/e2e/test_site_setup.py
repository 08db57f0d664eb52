"""On a 360 px phone: card photos come in the rendition that fits the slot (400 w on a 2× screen, not 640 w), the
page links hashed static files, the icon is served; an operator searches orders in the admin at 360 px.

Set TAYBAC_SHOTS=/some/folder to keep screenshots of the home page and the admin's order list.
"""

from __future__ import annotations

import io

from PIL import Image

from taybac.accounts.models import Role, User
from taybac.catalog.services import add_photo
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.orders.codes import display
from taybac.regions.services import create_address
from tests.e2e.phone import shot
from tests.factories import make_product, make_shop


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_card_photo_is_the_rendition_that_fits_a_2x_phone(browser, live_server, transactional_db):
    shop = make_shop(name="Hộ nuôi ong Sùng Mí Chá", province_code=8)
    for i, colour in enumerate([(200, 150, 40), (60, 120, 60)]):
        product = make_product(shop=shop, name=f"Mật ong bạc hà {i + 1}")
        add_photo(actor=shop.producer.owner, product=product, data=_jpeg(colour), alt="Hũ mật ong")
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/tim-kiem/?q=mat+ong")
        card = page.locator(".grid .card img").first
        card.scroll_into_view_if_needed()
        page.wait_for_function("() => [...document.querySelectorAll('.grid .card img')].every(i => i.complete)")
        slot = card.evaluate("img => img.getBoundingClientRect().width")
        assert 150 <= slot <= 170  # two cards a row at 360 px
        assert card.evaluate("img => img.currentSrc").endswith("-400.webp")  # not the 640 w file
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.goto(live_server.url + "/")
        shot(page, "home")
        assert page.request.get(live_server.url + "/favicon.ico").status == 200
    finally:
        context.close()


def test_an_operator_finds_an_order_by_phone_in_the_admin_at_360(page360, live_server):
    User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role=Role.OPERATOR)
    variant = make_product(shop=make_shop(name="Hộ Giàng A Páo"), price=350_000, quantity=10).variants.get()
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant.pk, 2)],
        contact=Contact("Lan", "0912345678"),
        payment_method="vietqr",
        delivery_address=create_address(province_code=1, commune_code=70, street="12 Hàng Bạc"),
    )
    page = page360
    page.goto(live_server.url + "/quan-tri/")
    page.fill("input[name=username]", "vanhanh")
    page.fill("input[name=password]", "mat-khau-dai-123")
    page.click("input[type=submit]")
    page.wait_for_url("**/quan-tri/")
    assert "Quản trị Tây Bắc Hub" in page.locator("#site-name").inner_text()
    page.goto(live_server.url + "/quan-tri/orders/shoporder/")
    page.fill("#searchbar", "0912 345 678")
    page.locator("#searchbar").press("Enter")
    page.wait_for_url("**q=0912*")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    shop_order = order.shop_orders.get()
    assert display(shop_order.code) in rows.first.inner_text() and "Chờ thanh toán" in rows.first.inner_text()
    headers = page.locator("#result_list thead th").all_text_contents()
    assert [h.strip() for h in headers if h.strip()] == ["Mã", "Trạng thái", "Tổng"]
    # the list itself fits the phone: no sideways scrolling to read a row
    assert page.locator("#result_list").evaluate("t => t.getBoundingClientRect().right") <= 360
    shot(page, "admin-shop-orders")
    page.goto(live_server.url + "/quan-tri/orders/order/?q=0912345678")
    assert page.locator("#result_list tbody tr").count() == 1
    assert "0912 345 678" in page.locator("#result_list tbody tr").inner_text()
    assert page.locator("#result_list").evaluate("t => t.getBoundingClientRect().right") <= 360
    shot(page, "admin-orders")
    page.goto(live_server.url + "/quan-tri/orders/shoporder/?q=0912+345+678")
    rows.first.locator("a").first.click()
    page.wait_for_url(f"**/orders/shoporder/{shop_order.pk}/change/**")
    total = f"{shop_order.total:,}\u00a0₫".replace(",", ".")
    assert total in page.locator("body").inner_text()
    assert page.locator("input[name=total]").count() == 0  # money is read-only
    shot(page, "admin-shop-order")
