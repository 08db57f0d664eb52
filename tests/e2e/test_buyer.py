"""A buyer on a phone searches without diacritics and opens a product."""

import datetime

from taybac.catalog.services import set_ocop_certificate
from tests.factories import make_product, make_shop


def test_buyer_searches_mat_ong_and_opens_product(page360, live_server):
    shop = make_shop(name="Hộ nuôi ong Sùng Mí Chá", province_code=8)
    honey = make_product(shop=shop, name="Mật ong bạc hà Mèo Vạc", price=380_000)
    make_product(shop=shop, name="Chè Shan tuyết", category_slug="che")
    set_ocop_certificate(
        actor=shop.producer.owner,
        product=honey,
        stars=4,
        issuer="UBND tỉnh Hà Giang",
        number="728/QĐ-UBND",
        issued_on=datetime.date(2024, 5, 3),
        expires_on=datetime.date.today() + datetime.timedelta(days=365),
    )
    page = page360
    page.goto(live_server.url + "/")
    page.fill("input[name=q]", "mat ong")
    page.click("form.search button")
    page.wait_for_url("**/tim-kiem/?q=mat+ong")
    cards = page.locator(".grid .card .nm")
    assert cards.all_inner_texts() == ["Mật ong bạc hà Mèo Vạc"]
    cards.first.click()
    page.wait_for_url(f"**{honey.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Mật ong bạc hà Mèo Vạc"
    assert "380.000 ₫" in page.locator(".vars").inner_text()
    assert "OCOP" in page.locator(".badge").inner_text() and "4 sao" in page.locator(".badge").inner_text()
    # The page fits a 360 px phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
