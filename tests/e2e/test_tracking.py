"""A carrier's webhook moves the order, and on a 360 px phone the buyer reads the parcel's journey on the order
page and the seller unfolds it in the order list."""

from __future__ import annotations

import json

import pytest

from taybac.orders.models import Status
from taybac.web.order_links import order_url
from tests.e2e.phone import fits_phone, shot
from tests.e2e.test_seller_centre import sign_in
from tests.fulfilment.tracking_world import booked, packed_order
from tests.logistics.fixtures.transport import fixture

SECRET = "ghn-webhook-secret-for-the-browser-test"


@pytest.fixture
def ghn(settings):
    settings.TAYBAC_GHN_TOKEN, settings.TAYBAC_GHN_SHOP_ID = "ghn-api-token", "885"
    settings.TAYBAC_GHN_WEBHOOK_TOKEN = SECRET


def webhook(page, base: str, **changes) -> dict:
    payload = {**json.loads(fixture("ghn", "webhook_switch_status.json")), **changes}
    response = page.request.post(
        f"{base}/webhooks/van-chuyen/ghn/{SECRET}/",
        data=json.dumps(payload),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 200
    return response.json()


def test_a_webhook_moves_the_order_and_both_sides_see_the_journey(page360, live_server, ghn, otp_outbox):
    shop_order = packed_order()
    booked(shop_order, code="LBK6PK")
    page = page360
    base = live_server.url
    assert (
        webhook(page, base, Status="picked", Time="2025-12-07T01:00:00.000Z", Description="Đã lấy hàng")["new_events"]
        == 1
    )
    assert webhook(page, base)["new_events"] == 1  # delivering
    assert webhook(page, base)["new_events"] == 0  # GHN retries: nothing new
    shop_order.refresh_from_db()
    assert shop_order.status == Status.SHIPPED

    page.goto(base + order_url(shop_order.order.code))
    journey = page.locator(".trk")
    assert journey.is_visible() and "Hành trình đơn hàng" in journey.inner_text()
    assert "LBK6PK" in journey.inner_text() and "Hiện tại: Đang giao hàng" in journey.inner_text()
    assert page.locator(".trk .tl > li").count() == 2
    assert page.locator(".trk a[href^='https://donhang.ghn.vn/']").is_visible()
    fits_phone(page)
    journey.scroll_into_view_if_needed()
    shot(page, "tracking-buyer")

    sign_in(page, base, "0" + shop_order.shop.producer.owner.phone[3:])
    page.goto(base + "/ban-hang/don-hang/")
    folded = page.locator(".trk details")
    assert not page.locator(".trk .tl").is_visible()
    folded.locator("summary").click()  # no JS: <details> opens by itself
    assert page.locator(".trk .tl > li").count() == 2 and page.locator(".trk .tl").is_visible()
    fits_phone(page)
    shot(page, "tracking-seller")
