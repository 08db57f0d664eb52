"""The live page at 360 px, with JavaScript (chat over server-sent events from the real events app, ordering by
fetch without leaving the page) and without (plain form posts that come back to the page)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from taybac.campaigns.live_events import make_app
from taybac.regions.models import PickupPoint
from tests.campaigns.live_world import live_world
from tests.e2e.phone import fits_phone, shot


@pytest.fixture
def events_server(monkeypatch):
    """The events app under uvicorn in a thread, where the live page's script will look for it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(make_app(), host="127.0.0.1", port=port, lifespan="off", log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    monkeypatch.setenv("TAYBAC_LIVE_EVENTS_URL", f"http://127.0.0.1:{port}/")
    yield
    server.should_exit = True
    thread.join(timeout=10)


def _fill_order(page, point: PickupPoint) -> None:
    page.fill("#live-order input[name=quantity]", "2")
    page.fill("#live-order input[name=name]", "Trần Thị Lan")
    page.fill("#live-order input[name=phone]", "0912 345 678")
    page.select_option("#live-order select[name=pickup_point]", point.code)
    page.click("#live-order button")


def test_live_page_with_javascript(page360, live_server, events_server, settings):
    settings.PUBLIC_URL = live_server.url  # the events app allows the hub's origin only (CORS)
    world = live_world()
    errors: list[str] = []
    page360.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    url = f"{live_server.url}/truc-tiep/{world.session.pk}/"
    page360.goto(url, wait_until="domcontentloaded")  # the embed frame needs the Internet; the page does not
    fits_phone(page360)
    assert page360.locator("iframe.live-frame").get_attribute("src").startswith("https://www.youtube-nocookie.com/")
    page360.fill("#live-say input[name=name]", "Hoa")
    page360.fill("#live-say input[name=text]", "Mật ong này của bản nào ạ?")
    page360.click("#live-say button")
    page360.locator("#live-messages li", has_text="Mật ong này của bản nào ạ?").wait_for()  # back over SSE
    assert errors == []
    _fill_order(page360, world.point)
    page360.locator("#live-order-result", has_text="Đã đặt đơn").wait_for()
    assert page360.url == url  # ordered without leaving the page
    shot(page360, "live-page-js")


def test_live_page_without_javascript(browser, live_server, transactional_db):
    world = live_world()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    url = f"{live_server.url}/truc-tiep/{world.session.pk}/"
    page.goto(url, wait_until="domcontentloaded")
    fits_phone(page)
    page.fill("#live-say input[name=name]", "Hoa")
    page.fill("#live-say input[name=text]", "chốt A2 x1 0987654321")
    page.click("#live-say button")
    assert page.locator("#live-messages li", has_text="chốt A2 x1 0987654321").count() == 1
    _fill_order(page, world.point)
    page.locator(".messages", has_text="Đã đặt đơn").wait_for()
    assert page.url.startswith(url)
    assert page.locator("#live-order-result a").get_attribute("href").startswith("/don-hang/")
    shot(page, "live-page-no-js")
    context.close()


def test_producer_runs_the_session_from_a_phone(browser, live_server, transactional_db):
    """Without JavaScript: pin with a live price, confirm a "chốt đơn" draft in one tap, end the session."""
    from taybac.campaigns.live_chat import post_message
    from tests.e2e.phone import signed_in_phone

    world = live_world()
    post_message(session=world.session, user=None, sender_key="s:x", name="Minh", text="chốt A1 x2 0912345678")
    context, page = signed_in_phone(browser, live_server.url, world.owner)
    page.goto(f"{live_server.url}/ban-hang/truc-tiep/{world.session.pk}/")
    fits_phone(page)
    page.fill("input[aria-label='Giá trực tiếp A1']", "300.000")
    page.click("text=Ghim >> nth=0")
    page.locator("li", has_text="đang ghim").first.wait_for()
    page.click("text=Xác nhận đơn")
    page.locator(".messages", has_text="Đã tạo đơn").wait_for()
    shot(page, "live-seller-manage")
    page.click("text=Kết thúc buổi phát")
    page.locator(".messages", has_text="Đã kết thúc").wait_for()
    page.goto(f"{live_server.url}/ban-hang/truc-tiep/")
    fits_phone(page)
    shot(page, "live-seller-list")
    context.close()
