"""The brand page, the OCOP e-certificate and the seller's brand editor on a 360 px phone, without JavaScript."""

from __future__ import annotations

from django.conf import settings

from tests.e2e.phone import fits_phone, shot, signed_in_phone
from tests.payments.qr_decode import decode_qr
from tests.web.brand.conftest import bw  # noqa: F401  (the shop with story, photo, certificate, GI and lot)


def test_brand_and_certificate_pages_fit_a_phone(browser, live_server, bw):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/gian-hang/{bw.shop.slug}/")
    assert page.locator("h1").inner_text() == "HTX Chè Suối Giàng"
    assert page.get_by_role("link", name="Zalo").is_visible() and page.get_by_role("link", name="Facebook").is_visible()
    fits_phone(page)
    shot(page, "brand-page")
    page.get_by_role("link", name="OCOP ★★★★ Chè Shan tuyết cổ thụ").click()
    assert page.locator(".status.ok").is_visible()
    qr = page.locator(".qrbox svg")
    assert qr.bounding_box()["width"] >= 120  # scannable from a printed sheet
    assert decode_qr(qr.screenshot()) == f"{settings.PUBLIC_URL}{bw.cert.get_absolute_url()}"  # read by ZXing
    fits_phone(page)
    shot(page, "ocop-certificate")
    context.close()


def test_seller_edits_the_brand_story_on_a_phone(browser, live_server, bw):
    context, page = signed_in_phone(browser, live_server.url, bw.shop.producer.owner)
    page.goto(f"{live_server.url}/ban-hang/thuong-hieu/")
    page.get_by_label("Câu chuyện thương hiệu").fill("Chè hái tay từ cây cổ thụ.\n\nSao trên chảo gang.")
    page.get_by_role("button", name="Lưu").click()
    assert "Đã lưu trang thương hiệu." in page.content()
    fits_phone(page)
    shot(page, "seller-brand")
    page.goto(f"{live_server.url}/gian-hang/{bw.shop.slug}/")
    assert page.locator(".story p").nth(1).inner_text() == "Sao trên chảo gang."
    context.close()


def test_officer_records_a_decision_on_a_phone(browser, live_server, bw):
    context, page = signed_in_phone(browser, live_server.url, bw.officer)
    page.goto(f"{live_server.url}/can-bo/chung-nhan/")
    page.get_by_role("link", name="Chè Shan tuyết cổ thụ").click()
    fits_phone(page)
    shot(page, "officer-product")
    page.get_by_label("Số quyết định").fill("88/QĐ-UBND")
    page.get_by_role("button", name="Ghi nhận chứng nhận OCOP").click()
    assert "Quyết định số 88/QĐ-UBND" in page.locator(".cert").inner_text()
    context.close()
