"""The operator's legal information on every page's footer, the terms and the dispute procedure
(Decree 52/2013/NĐ-CP as amended by Decree 85/2021/NĐ-CP)."""

from __future__ import annotations

import pytest
from django.test import Client

from taybac.compliance.legal import DEMO
from taybac.orders.returns import RETURN_DAYS
from tests.factories import make_product, make_user

LINKS = ('href="/dieu-khoan/"', 'href="/quyen-rieng-tu/"', 'href="/giai-quyet-tranh-chap/"')


@pytest.mark.parametrize(
    "path", ["/", "/tim-kiem/?q=mat", "/gio-hang/", "/dang-nhap/", "/tra-cuu/", "/dieu-khoan/", "/quyen-rieng-tu/"]
)
def test_every_page_has_the_legal_footer_marked_demo_by_default(db, path):
    page = Client().get(path).content.decode()
    footer = page[page.index('<footer class="foot">') :]
    for value in DEMO.values():
        assert value in footer
    assert "dữ liệu mẫu của bản demo" in footer and "online.gov.vn" in footer
    assert all(link in footer for link in LINKS)


def test_pages_of_signed_in_people_and_products_carry_it_too(db):
    product = make_product()
    client = Client()
    client.force_login(product.shop.producer.owner)
    for path in (f"/san-pham/{product.pk}/", "/ban-hang/", "/tai-khoan/du-lieu/", "/dia-chi/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert DEMO["registration"] in response.content.decode(), path


def test_configured_values_replace_the_demo_and_the_moit_notice_links(db, settings):
    settings.TAYBAC_OPERATOR_NAME = "Công ty TNHH Chợ Tây Bắc"
    settings.TAYBAC_OPERATOR_REGISTRATION = "5500123456"
    settings.TAYBAC_OPERATOR_ADDRESS = "Số 1 Tô Hiệu, phường Tô Hiệu, tỉnh Sơn La"
    settings.TAYBAC_OPERATOR_HOTLINE = "0212 3850 000"
    settings.TAYBAC_OPERATOR_EMAIL = "hotro@chotaybac.vn"
    settings.TAYBAC_MOIT_NOTICE_URL = "http://online.gov.vn/Home/WebDetails/123456"
    page = Client().get("/").content.decode()
    assert "5500123456" in page and "hotro@chotaybac.vn" in page and 'href="tel:02123850000"' in page
    assert 'href="http://online.gov.vn/Home/WebDetails/123456"' in page and "Đã thông báo Bộ Công Thương" in page
    assert "bản demo" not in page and DEMO["registration"] not in page


def test_terms_and_dispute_pages_state_the_steps_and_time_limits(db):
    terms = Client().get("/dieu-khoan/").content.decode()
    assert "Nghị định 117/2025/NĐ-CP" in terms and f"{RETURN_DAYS} ngày" in terms
    disputes = Client().get("/giai-quyet-tranh-chap/").content.decode()
    for step in ("Huỷ đơn", "Trả hàng, hoàn tiền", "Khiếu nại lên sàn", "19/2023/QH15", 'href="/don-mua/"'):
        assert step in disputes
    assert f"<b>{RETURN_DAYS} ngày</b>" in disputes and DEMO["hotline"] in disputes


def test_legal_pages_are_read_only(db):
    user = make_user()
    client = Client()
    client.force_login(user)
    for path in ("/dieu-khoan/", "/giai-quyet-tranh-chap/", "/quyen-rieng-tu/"):
        assert client.post(path).status_code == 405
