"""Producers and helpers on a 360 px phone: sign in with a one-time code, create a product with a photo,
act for a delegating producer, and be refused on a shop that did not delegate."""

import io
import re

from PIL import Image

from taybac.catalog.models import Product
from tests.factories import make_shop
from tests.web.centre.conftest import CapturingSender


def sign_in(page, base: str, phone: str) -> None:
    page.goto(base + "/dang-nhap/?next=/ban-hang/")  # as the "Bán hàng" links do (a buyer lands on /don-mua/)
    page.fill("input[name=phone]", phone)
    page.click("button.btn")
    page.wait_for_url("**/dang-nhap/ma/")
    page.fill("input[name=code]", CapturingSender.sent[-1][1])
    page.click("button.btn")
    page.wait_for_url("**/ban-hang/**")


def test_producer_creates_product_with_photo(page360, live_server, otp_outbox, tmp_path):
    shop = make_shop(name="Hộ Giàng A Páo", province_code=15)
    page = page360
    sign_in(page, live_server.url, "0" + shop.producer.owner.phone[3:])
    page.click("text=+ Đăng sản phẩm")
    page.fill("input[name=name]", "Mật ong bạc hà Bắc Hà")
    page.select_option("select[name=category]", label="Mật ong")
    page.fill("input[name=price]", "350.000")
    page.fill("input[name=quantity]", "12")
    page.fill("input[name=unit]", "hũ")
    page.fill("input[name=weight_grams]", "500")
    page.click("text=Tiếp: thêm ảnh")
    page.wait_for_url(re.compile(r".*/anh/$"))
    photo = tmp_path / "mat-ong.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (900, 700), (200, 150, 30)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    page.set_input_files("input[name=photos]", str(photo))
    page.click("text=Tải ảnh lên")
    page.wait_for_selector(".thumbs img")
    page.click("text=Tiếp: mùa vụ, OCOP, giới thiệu")
    page.check("input[name=season_months][value='4']")
    page.fill("textarea[name=description]", "Mật ong từ hoa bạc hà.")
    page.click("button:has-text('Lưu')")
    page.wait_for_url("**/ban-hang/")
    assert "Mật ong bạc hà Bắc Hà" in page.locator(".plist").inner_text()
    product = Product.objects.get(name="Mật ong bạc hà Bắc Hà")
    assert product.photos.count() == 1 and product.season_months == [4]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_helper_edits_delegated_shop_and_is_refused_on_another(page360, live_server, otp_outbox, world):
    helper, honey_product, tea = world["helper"], world["honey_product"], world["tea_product"]
    page = page360
    sign_in(page, live_server.url, "0" + helper.phone[3:])
    assert "thay mặt Hộ Giàng A Páo" in page.locator(".note").inner_text()
    variant = honey_product.variants.get()
    page.fill(f"#q{variant.pk}", "30")
    page.click(f"form[action='/ban-hang/phan-loai/{variant.pk}/ton-kho/'] button")
    page.wait_for_selector("text=còn 30")
    variant.refresh_from_db()
    assert variant.quantity == 30
    response = page.goto(live_server.url + f"/ban-hang/san-pham/{tea.pk}/")
    assert response.status == 403
    assert "không có quyền" in page.content()
