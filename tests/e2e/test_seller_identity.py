"""A seller records their identity on a 360 px phone without JavaScript: the page says payouts wait, the form is
filled and saved, the number is then shown masked, and the shop page shows the legal name and commune.

Set TAYBAC_SHOTS=/some/folder to keep screenshots of the identity page and the shop page.
"""

from tests.e2e.phone import fits_phone, shot, signed_in_phone
from tests.factories import make_shop

NUMBER = "014090123457"


def test_seller_records_identity_on_a_phone(browser, live_server, transactional_db):
    shop = make_shop(name="Hộ Giàng Thị Mỷ")
    context, page = signed_in_phone(browser, live_server.url, shop.producer.owner)
    page.set_default_timeout(60_000)  # the first page of a fresh live server renders slowly on a loaded CI machine
    try:
        page.goto(f"{live_server.url}/ban-hang/")
        page.click("text=Ghi danh tính người bán")
        page.wait_for_url("**/ban-hang/danh-tinh/")
        assert page.locator("text=Chưa nhận được tiền bán hàng.").is_visible()
        fits_phone(page)
        shot(page, "identity-missing")
        page.fill("input[name=legal_name]", "Giàng Thị Mỷ")
        page.check("label:has-text('Số CCCD') input")
        page.fill("input[name=number]", "014 090 123457")
        page.fill("input[name=street]", "Bản Phìn Hồ")
        page.select_option("select[name=commune]", str(shop.commune_id))
        page.click("button:has-text('Lưu danh tính')")
        page.wait_for_selector("text=Đã đủ thông tin để nhận tiền bán hàng.")
        body = page.content()
        assert "•••• •••• 3457" in body and NUMBER not in body
        assert page.input_value("input[name=number]") == ""
        fits_phone(page)
        shot(page, "identity-recorded")
        page.goto(f"{live_server.url}/gian-hang/{shop.slug}/")
        seller = page.locator("p.seller")
        assert "Giàng Thị Mỷ" in seller.inner_text() and shop.commune.name in seller.inner_text()
        fits_phone(page)
        shot(page, "identity-shop-page")
    finally:
        context.close()
