"""Fairs and share links on a 360 px phone without JavaScript: a buyer opens a share link to a booth and orders at
the fair price; the organiser reads the figures; the producer makes a link and sees it counted in the report."""

from __future__ import annotations

import pytest

from taybac.campaigns.fair_models import FairOrder
from taybac.campaigns.share_models import AttributedOrder
from taybac.campaigns.share_services import create_link
from tests.campaigns.test_fairs import fair_world
from tests.e2e.phone import fits_phone, shot, signed_in_phone

pytestmark = pytest.mark.browser


def test_fair_booth_order_and_reports_at_360(browser, live_server, transactional_db):
    w = fair_world()
    owner = w.shop.producer.owner
    link = create_link(actor=owner, shop=w.shop, target="booth", target_id=w.booth.pk, campaign="tet", channel="zalo")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/hoi-cho/{w.fair.slug}/")
    assert page.locator("h1").inner_text() == "Hội chợ mật ong"
    fits_phone(page)
    shot(page, "fair-page")
    page.goto(f"{live_server.url}{link.path}?c={link.code}")
    fits_phone(page)
    shot(page, "fair-booth")
    page.fill("input[name=name]", "Trần Thị Lan")
    page.fill("input[name=phone]", "0912 345 678")
    page.click("form.fair-order button")
    assert "Đã đặt đơn" in page.locator(".messages").inner_text()
    assert FairOrder.objects.get().revenue == 300_000 and AttributedOrder.objects.get().link == link
    context.close()

    context, page = signed_in_phone(browser, live_server.url, w.officer)
    page.goto(f"{live_server.url}/to-chuc/hoi-cho/{w.fair.pk}/")
    assert "300.000" in page.locator("table").inner_text().replace("\xa0", " ")
    fits_phone(page)
    shot(page, "fair-organiser")
    context.close()

    context, page = signed_in_phone(browser, live_server.url, owner)
    page.goto(f"{live_server.url}/ban-hang/chia-se/")
    page.fill("#campaign", "mua he")
    page.click("form button.btn")
    assert "Đã tạo liên kết" in page.locator(".messages").inner_text()
    assert "tet" in page.locator("table").inner_text()
    fits_phone(page)
    shot(page, "share-seller")
    context.close()
