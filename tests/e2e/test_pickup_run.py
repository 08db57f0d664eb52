"""On a 360 px phone without JavaScript: post office staff open the pickup run from the post office's page, plan
today's run, read the run sheet (stops in order, a call link and two map links each) and mark a stop collected."""

from __future__ import annotations

import re

from taybac.logistics.models_planning import PickupStop
from tests.e2e.phone import shot, signed_in_phone
from tests.factories import make_user
from tests.logistics.pickup_world import TA_VAN, post_office, shop_at, waiting_order


def test_staff_plan_the_run_and_mark_a_stop_collected(browser, live_server, transactional_db):
    clerk = make_user(full_name="Lý Thị Mai")
    post_office(staff=(clerk,))
    waiting_order(shop_at("Hộ Tẩn Thị Mẩy – lá tắm Dao đỏ", commune_code=TA_VAN, pin=(22.3012, 103.8899)), quantity=2)
    waiting_order(shop_at("HTX Dược liệu Tả Van", commune_code=TA_VAN), weight_grams=2500)
    waiting_order(shop_at("Hộ Giàng A Páo", commune_code=TA_VAN, pin=(22.40, 103.80)))
    context, page = signed_in_phone(browser, live_server.url, clerk)
    try:
        page.goto(live_server.url + "/buu-dien/")
        page.click("text=Chuyến lấy hàng từ người bán")
        assert page.locator("text=Chưa có chuyến lấy hàng cho ngày này").is_visible()
        page.fill("#id_tai_trong", "50")
        page.click("button:has-text('Lập chuyến')")

        assert page.locator(".messages").inner_text().startswith("Đã lập chuyến: 3 điểm lấy hàng")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        stops = page.locator("ol.stops > li")
        assert stops.count() == 3
        assert [s.strip() for s in page.locator(".seq").all_inner_texts()] == ["1", "2", "3"]
        for i in range(3):
            stop = stops.nth(i)
            assert re.fullmatch(r"\d\d:\d\d", stop.locator(".eta").inner_text())
            assert stop.locator("a.tel").get_attribute("href").startswith("tel:+84")
            assert stop.locator("a:has-text('Mở bản đồ')").get_attribute("href").startswith("geo:")
            google = stop.locator("a:has-text('Google Maps')").get_attribute("href")
            assert google.startswith("https://www.google.com/maps/dir/?api=1&destination=")
            box = stop.locator("button:has-text('Đã lấy')").bounding_box()
            assert box["height"] >= 44 and box["x"] + box["width"] <= 360
        shot(page, "pickup-run-sheet")

        first = stops.nth(0)
        name = first.locator(".head b").inner_text()
        first.locator("button:has-text('Đã lấy')").click()

        assert page.locator(".messages").inner_text() == f"Đã lấy hàng ở {name}."
        done = page.locator("ol.stops > li.done")
        assert done.count() == 1 and "Đã lấy lúc" in done.inner_text() and name in done.inner_text()
        assert page.locator("button:has-text('Đã lấy')").count() == 2
        assert "đã lấy 1/3 điểm" in page.locator(".sheet").inner_text()
        assert page.locator("button:has-text('Lập lại chuyến')").count() == 0  # a started run stays
        assert PickupStop.objects.filter(collected_at__isnull=False).count() == 1
        shot(page, "pickup-run-collected")
    finally:
        context.close()
