"""On a 360 px phone without JavaScript: the privacy notice, the footer's legal information, and the buyer's data
page (opt in by ticking, withdraw in one tap, download a copy). Set TAYBAC_SHOTS=/some/folder to keep the
screenshots (privacy-notice, privacy-footer, privacy-data)."""

from __future__ import annotations

from taybac.compliance import consent
from taybac.compliance.models import ConsentRecord
from tests.e2e.phone import fits_phone, shot, signed_in_phone
from tests.factories import make_user


def test_notice_and_footer_fit_a_phone(page360, live_server):
    page = page360
    page.goto(live_server.url + "/quyen-rieng-tu/", timeout=60_000)  # the first request of a cold server
    assert page.locator("section.pv").count() >= 10
    fits_phone(page)
    shot(page, "privacy-notice")
    footer = page.locator("footer.foot")
    assert "Mã số doanh nghiệp" in footer.inner_text() and footer.locator("a.moit").is_visible()
    page.goto(live_server.url + "/giai-quyet-tranh-chap/")
    fits_phone(page)
    shot(page, "privacy-disputes")


def test_data_page_opt_in_withdraw_and_download_on_a_phone(browser, live_server):
    buyer = make_user(full_name="Trần Thị Lan")
    context, page = signed_in_phone(browser, live_server.url, buyer)
    try:
        page.goto(live_server.url + "/tai-khoan/du-lieu/")
        box = page.locator("input[name=dong_y]")
        assert not box.is_checked()
        fits_phone(page)
        shot(page, "privacy-data")
        box.check()
        page.click("text=Lưu lựa chọn")
        page.wait_for_selector("text=Ngừng nhận tin")
        assert consent.has_consent(user=buyer, purpose=ConsentRecord.Purpose.MARKETING)
        page.click("text=Ngừng nhận tin")
        page.wait_for_selector("input[name=dong_y]")
        assert not consent.has_consent(user=buyer, purpose=ConsentRecord.Purpose.MARKETING)
        with page.expect_download() as download:
            page.click("text=Tải về")
        assert download.value.suggested_filename.startswith("du-lieu-cua-toi-")
    finally:
        context.close()
