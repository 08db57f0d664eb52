"""On a 360 px phone, without JavaScript: the officer's dashboard (charts as wide as the screen and no wider, the
table under each chart opens, the CSV downloads) and the public summary (aggregates, no buyer dots)."""

from __future__ import annotations

from django.core.cache import cache

from taybac.accounts.models import Role
from tests.e2e.phone import fits_phone, shot, signed_in_phone
from tests.factories import make_user
from tests.insights.dashboard_world import LAO_CAI, build


def test_officer_dashboard_and_public_summary_at_360px(browser, live_server, transactional_db):
    build()
    cache.clear()
    officer = make_user(role=Role.OFFICER, officer_province_id=LAO_CAI)
    context, page = signed_in_phone(browser, live_server.url, officer)
    page.goto(f"{live_server.url}/so-lieu/tinh/")
    fits_phone(page)
    shot(page, "insights-dashboard")
    assert page.get_by_role("heading", name="Số liệu: Lào Cai").is_visible()
    assert "1.050.000 ₫" in page.locator(".kpis").inner_text()
    charts = page.locator("svg.chart")
    assert charts.count() >= 9
    for i in range(charts.count()):  # every chart scales to the card: as wide as the screen allows, never wider
        box = charts.nth(i).bounding_box()
        assert box is not None and 300 <= box["width"] <= 340 and box["height"] > 40
    sales = page.locator("#doanh-so")
    assert sales.get_by_role("img", name="Doanh số theo tháng").is_visible()  # the SVG's title names it
    sales.get_by_text("Bảng số liệu").click()  # <details>: no JavaScript needed
    assert "700.000" in sales.locator("table").inner_text()
    fits_phone(page)
    with page.expect_download() as download:
        page.locator("#nguoi-mua").get_by_role("link", name="Tải CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.splitlines() == ["tinh_nguoi_mua,don_hang,doanh_so_dong", "Thành phố Hà Nội,1,700000",
                                 "Lào Cai,1,350000"]  # fmt: skip
    context.close()

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/so-lieu/")
    fits_phone(page)
    shot(page, "insights-public")
    assert page.get_by_role("heading", name="Số liệu sàn Tây Bắc Hub").is_visible()
    assert page.locator("#chin-tinh svg.chart").is_visible() and page.locator("#ban-do circle.maker").count() == 2
    assert page.locator("circle.buyer").count() == 0
    context.close()
