"""Harvest sales windows at 360 px without JavaScript: a buyer pre-orders and sees the VietQR to pay; the producer
opens a window and confirms the harvest from a phone."""

from __future__ import annotations

import datetime

from taybac.campaigns.window_models import SalesWindow, WindowPreorder
from tests.campaigns.window_world import window_world
from tests.e2e.phone import fits_phone, shot, signed_in_phone


def test_buyer_preorders_on_a_phone(browser, live_server, transactional_db):
    world = window_world(quota=10)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    url = f"{live_server.url}/dat-truoc/{world.window.pk}/"
    page.goto(url)
    fits_phone(page)
    shot(page, "window-page")
    page.fill("input[name=quantity]", "3")
    page.fill("input[name=name]", "Trần Thị Lan")
    page.fill("input[name=phone]", "0912 345 678")
    page.check("input[name=payment_method][value=vietqr]")
    page.click("button:has-text('Đặt trước')")
    page.locator(".messages", has_text="Đã đặt trước 3 suất").wait_for()
    assert page.locator("#da-dat svg").count() == 1 and "Còn 7" in page.content()
    fits_phone(page)
    shot(page, "window-page-ordered")
    assert WindowPreorder.objects.get().quantity == 3
    context.close()


def test_producer_opens_and_harvests_on_a_phone(browser, live_server, transactional_db):
    world = window_world(quota=10)
    context, page = signed_in_phone(browser, live_server.url, world.owner)
    page.goto(f"{live_server.url}/ban-hang/dat-truoc/")
    fits_phone(page)
    page.fill("input[name=title]", "Mận vụ hai")
    page.fill("input[name=quota]", "40")
    page.fill("input[name=price]", "55000")
    page.fill("input[name=closes]", (datetime.date.today() + datetime.timedelta(days=7)).isoformat())
    page.fill("input[name=week]", (datetime.date.today() + datetime.timedelta(days=14)).isoformat())
    shot(page, "window-seller-list")
    page.click("button:has-text('Mở đợt')")
    page.locator(".messages", has_text="Đã mở đợt").wait_for()
    fits_phone(page)
    page.fill("input[name=harvested_quantity]", "0")
    page.click("button:has-text('Xác nhận thu hoạch')")
    page.locator(".messages", has_text="Đã xác nhận thu hoạch").wait_for()
    shot(page, "window-seller-manage")
    assert SalesWindow.objects.get(title="Mận vụ hai").status == SalesWindow.Status.HARVESTED
    context.close()
