"""On a 360 px phone, the helper's side of delegation: a newcomer opens a shop in the two-step form (no JavaScript
needed), lets a helper in by phone number, the helper picks that producer and updates stock on their behalf,
the owner reads it in the activity trail, revokes, and the helper's next save is refused."""

from taybac.catalog.models import Variant
from tests.e2e.test_seller_centre import sign_in
from tests.factories import make_product, make_user


def test_newcomer_opens_shop_delegates_and_revokes(browser, live_server, otp_outbox, transactional_db):
    helper = make_user(role="helper", full_name="Lò Thị Hiền")
    owner_page = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    helper_page = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    try:
        page = owner_page.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server.url, "0912 777 888")
        page.wait_for_url("**/ban-hang/dang-ky/")
        page.select_option("select[name=tinh]", label="Lào Cai")
        page.click("form.step button")
        page.fill("input[name=name]", "Hộ Lò Văn Páo")
        page.select_option("select[name=commune]", label="Xã Tả Phìn")
        page.click("text=Mở gian hàng")
        page.wait_for_url("**/ban-hang/san-pham/moi/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        from taybac.accounts.models import Producer

        producer = Producer.objects.get(name="Hộ Lò Văn Páo")
        variant = make_product(shop=producer.shop, name="Gạo nếp Tả Phìn", category_slug="gao-ngu-coc").variants.get()

        page.goto(live_server.url + "/ban-hang/uy-quyen/")
        page.fill("input[name=phone]", "0" + helper.phone[3:])
        page.click("main button.btn")
        page.wait_for_selector("text=Đã ủy quyền cho Lò Thị Hiền")

        other = helper_page.new_page()
        other.set_default_timeout(15_000)
        sign_in(other, live_server.url, "0" + helper.phone[3:])
        assert "thay mặt Hộ Lò Văn Páo" in other.locator(".note").inner_text()
        other.fill(f"#q{variant.pk}", "25")
        other.click(f"form[action='/ban-hang/phan-loai/{variant.pk}/ton-kho/'] button")
        other.wait_for_selector("text=còn 25")

        page.goto(live_server.url + "/ban-hang/nhat-ky/")
        trail = page.locator(".log").inner_text()
        assert "Lò Thị Hiền thay mặt" in trail and "Gạo nếp Tả Phìn" in trail and "tồn 12 → 25" in trail

        page.goto(live_server.url + "/ban-hang/uy-quyen/")
        page.click("button:has-text('Thu hồi')")  # first a page that says what the helper loses
        assert "Lò Thị Hiền không còn đăng sản phẩm" in page.locator(".what").inner_text()
        page.click("button:has-text('Thu hồi ủy quyền')")
        page.wait_for_selector("text=Đã thu hồi ủy quyền")

        other.fill(f"#q{variant.pk}", "0")  # the helper's page is still open: the save is refused
        with other.expect_response(f"**/ban-hang/phan-loai/{variant.pk}/ton-kho/") as answer:
            other.click(f"form[action='/ban-hang/phan-loai/{variant.pk}/ton-kho/'] button")
        assert answer.value.status == 403
        assert Variant.objects.get(pk=variant.pk).quantity == 25
        other.goto(live_server.url + "/ban-hang/")
        other.wait_for_url("**/ban-hang/dang-ky/")  # nothing left to manage
    finally:
        owner_page.close()
        helper_page.close()
