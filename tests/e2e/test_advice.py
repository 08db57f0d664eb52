"""On a 360 px phone, without JavaScript: the seller centre's home shows the production warning's notice, and its
link opens "Cảnh báo mùa vụ" with the big numbers and the suggestions, no wider than the screen."""

from __future__ import annotations

from django.utils import timezone

from taybac.insights.advice import refresh_warnings
from tests.e2e.phone import fits_phone, shot, signed_in_phone
from tests.insights import advice_world as aw


def test_production_warning_at_360px(browser, live_server, transactional_db, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: aw.TODAY)  # the world's day, for the page too
    world = aw.build()
    refresh_warnings(today=aw.TODAY)
    context, page = signed_in_phone(browser, live_server.url, world.a.producer.owner)
    page.goto(f"{live_server.url}/ban-hang/")
    notice = page.locator(".advice-notice")
    assert "Có 1 cảnh báo mùa vụ" in notice.inner_text()
    notice.get_by_role("link", name="Xem gợi ý").click()
    page.wait_for_url("**/ban-hang/canh-bao-mua-vu/")
    fits_phone(page)
    shot(page, "seller-advice")
    assert page.get_by_role("heading", name="Có thể THỪA mật ong").is_visible()
    figures = page.locator(".figs li")
    assert [figures.nth(i).inner_text().split("\n")[0] for i in range(3)] == ["525", "65", "325"]
    for i in range(3):  # three big numbers side by side, each readable
        box = figures.nth(i).bounding_box()
        assert box is not None and box["width"] >= 90
    tips = page.locator(".tips li")
    assert tips.count() == 4 and "Bạn còn 280 suất đặt trước" in tips.first.inner_text()
    context.close()
