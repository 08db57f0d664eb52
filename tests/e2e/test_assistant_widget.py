"""The assistant's chat at 360 px: the "Hỏi trợ lý" panel with JavaScript (loaded on the first tap, a person's
reply polled in), the plain /tro-ly/ page without, and the producer inbox on a phone (docs/assistant.md)."""

from __future__ import annotations

from taybac.assistant import inbox
from taybac.assistant.models import Conversation
from tests.e2e.phone import fits_phone, shot, signed_in_phone
from tests.factories import make_product, make_shop


def _honey():
    shop = make_shop(name="Hộ Giàng A Páo", province_code=15)
    make_product(shop=shop, name="Mật ong bạc hà", category_slug="mat-ong", price=350_000, quantity=12)
    return shop


def test_the_panel_with_javascript(page360, live_server):
    shop = _honey()
    scripts: list[str] = []
    page360.on("request", lambda request: scripts.append(request.url) if request.url.endswith(".js") else None)
    errors: list[str] = []
    page360.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page360.goto(f"{live_server.url}/tra-cuu/", timeout=60_000)  # a cold server on a busy machine
    assert not any(url.endswith("/assistant.js") for url in scripts)  # not part of the page until asked
    page360.click(".chat-fab")
    page360.locator("#as-panel textarea").wait_for()
    assert any(url.endswith("/assistant.js") for url in scripts) and page360.url == f"{live_server.url}/tra-cuu/"
    page360.fill("#as-panel textarea", "mật ong bạc hà giá bao nhiêu")
    page360.click("#as-panel .as-send")
    page360.locator("#as-log li.as-assistant", has_text="350.000 ₫").wait_for()
    assert page360.locator("#as-last a", has_text="Mật ong bạc hà").is_visible()
    fits_phone(page360)
    shot(page360, "assistant-panel")

    conversation = Conversation.objects.get()
    assert conversation.shop_id == shop.pk
    inbox.reply(actor=shop.producer.owner, conversation=conversation, text="Dạ em là chủ hộ, mật ong còn 12 hũ ạ")
    page360.locator("#as-log li.as-staff", has_text="còn 12 hũ").wait_for(timeout=12_000)  # polled while open
    assert page360.locator("#as-person").is_visible()
    shot(page360, "assistant-panel-person")
    page360.click("#as-forget button")
    page360.locator("#as-log li", has_text="Đã xoá cuộc trò chuyện").wait_for()
    assert not Conversation.objects.exists()
    page360.click("#as-close")
    assert page360.locator("#as-panel").is_hidden()
    assert errors == []


def test_the_page_without_javascript(browser, live_server, transactional_db):
    _honey()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.click(".chat-fab")
    assert page.url == f"{live_server.url}/tro-ly/"
    page.fill("#as-text", "mat ong bac ha con hang ko")
    page.check("input[name=nho]")
    page.click(".as-send")
    page.locator("#as-log li.as-assistant", has_text="Mật ong bạc hà").wait_for()
    assert page.locator("input[name=nho]").is_checked()  # the choice is kept
    assert Conversation.objects.get().memory_consent_at is not None
    fits_phone(page)
    shot(page, "assistant-page-nojs")
    context.close()


def test_the_producer_inbox_on_a_phone(browser, live_server, transactional_db):
    shop = _honey()
    buyer = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = buyer.new_page()
    page.goto(f"{live_server.url}/tro-ly/")
    page.fill("#as-text", "mật ong bạc hà bị chảy nước, cho mình gặp người bán")
    page.click(".as-send")
    context, seller = signed_in_phone(browser, live_server.url, shop.producer.owner)
    seller.goto(f"{live_server.url}/ban-hang/")
    seller.click("text=Tin nhắn")
    seller.locator(".as-inbox .as-wait a").first.click()
    seller.click("text=Tiếp nhận")
    seller.fill("#as-reply", "Dạ em xin lỗi, em gửi lại hũ khác cho mình ạ")
    seller.click("text=Gửi trả lời")
    seller.locator(".as-log li.as-staff", has_text="gửi lại hũ khác").wait_for()
    fits_phone(seller)
    shot(seller, "assistant-inbox-conversation")
    seller.goto(f"{live_server.url}/ban-hang/tin-nhan/")
    fits_phone(seller)
    shot(seller, "assistant-inbox-list")
    page.goto(f"{live_server.url}/tro-ly/")
    assert page.locator("#as-log li.as-staff", has_text="gửi lại hũ khác").is_visible()  # on the next load
    context.close()
    buyer.close()
