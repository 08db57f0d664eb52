"""On a 360 px phone, without JavaScript: the operator's "Người mua tìm gì" page (charts fit the screen, the table
opens, the CSV downloads, choosing a province) and the seller centre's "Người mua đang tìm…" reached from the
centre's home in one tap."""

from __future__ import annotations

from taybac.accounts.models import Role
from tests.e2e.phone import fits_phone, shot, signed_in_phone
from tests.factories import make_product, make_shop, make_user
from tests.insights.test_search_insights_pages import HA_NOI, LAO_CAI, SON_LA, _log


def _searches() -> None:
    _log("sau rieng", 4, province=LAO_CAI)
    _log("vai thieu", 3, province=SON_LA)
    _log("mat ong rung", 3, province=HA_NOI, results=1)
    _log("mat ong", 6, province=SON_LA, results=8, ordered=True)


def test_search_insights_and_seller_demand_at_360px(browser, live_server, transactional_db):
    _searches()
    context, page = signed_in_phone(browser, live_server.url, make_user(role=Role.OPERATOR))
    page.goto(f"{live_server.url}/so-lieu/tim-kiem/")
    fits_phone(page)
    shot(page, "insights-searches")
    assert page.get_by_role("heading", name="Người mua tìm gì").is_visible()
    charts = page.locator("svg.chart")
    assert charts.count() == 6
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and 300 <= box["width"] <= 340 and box["height"] > 40
    unmet = page.locator("#tu-khoa-thieu")
    unmet.get_by_text("Bảng số liệu").click()
    assert "sau rieng" in unmet.locator("table").inner_text()
    fits_phone(page)
    with page.expect_download() as download:
        unmet.get_by_role("link", name="Tải CSV").click()
    lines = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert lines[0] == "tu_khoa,luot_tim,luot_truy_cap,ket_qua_nhieu_nhat" and "sau rieng,4,4,0" in lines
    page.locator("select[name=tinh]").select_option(label="Sơn La")
    page.get_by_role("button", name="Xem").click()
    assert "tinh=14" in page.url and "sau rieng" not in page.locator("#tu-khoa-thieu").inner_text()
    context.close()

    shop = make_shop(name="Hộ Giàng A Páo", province_code=LAO_CAI)
    make_product(shop=shop, name="Mật ong bạc hà", category_slug="mat-ong")
    context, page = signed_in_phone(browser, live_server.url, shop.producer.owner)
    page.goto(f"{live_server.url}/ban-hang/")
    page.get_by_role("link", name="Người mua đang tìm…").click()
    fits_phone(page)
    shot(page, "seller-search-demand")
    assert page.get_by_role("heading", name="Người mua đang tìm…").is_visible()
    text = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    assert "“mat ong rung”" in text and "Người mua chỉ thấy 1 sản phẩm" in text and "“sau rieng”" in text
    assert "vai thieu" not in text
    context.close()
