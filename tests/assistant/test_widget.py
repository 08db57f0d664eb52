"""The chat widget's page /tro-ly/ (no JavaScript), its JSON answers and polling, consent to the assistant's memory,
"Xoá và quên", and which shop a conversation is about (docs/assistant.md, "Chat widget")."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from taybac.assistant import services
from taybac.assistant.models import Channel, Conversation, Message
from taybac.assistant.replies import Reply
from taybac.assistant.tasks import prune_idle_conversations
from taybac.orders.checkout import Contact, LineRequest, place_order
from taybac.regions.services import create_address
from taybac.web.views_assistant import SESSION_KEY

JSON = {"HTTP_ACCEPT": "application/json"}


def say(client, text, *, remember=False, **extra):
    data = {"text": text, **({"nho": "1"} if remember else {})}
    return client.post("/tro-ly/", data, **extra)


@pytest.mark.django_db
def test_the_page_works_without_javascript(client, catalog):
    page = client.get("/tro-ly/").content.decode()
    assert 'action="/tro-ly/"' in page and 'name="csrfmiddlewaretoken"' in page
    assert 'name="nho" value="1">' in page  # the memory box is not ticked
    assert 'class="chat-fab"' not in page  # no button to the page on the page itself
    response = say(client, "Mật ong bạc hà giá bao nhiêu")
    assert response.status_code == 302 and response["Location"] == "/tro-ly/#gui"
    page = client.get("/tro-ly/").content.decode()
    url = catalog.honey.get_absolute_url()
    assert "Mật ong bạc hà giá bao nhiêu" in page and "350.000 ₫" in page
    assert f'<a href="{url}">Mật ong bạc hà</a>' in page  # the answer's product, once after the redirect
    assert f'<a href="{url}">{url}</a>' in page  # the path in the reply's text is a link
    conversation = Conversation.objects.get()
    assert conversation.channel == Channel.SITE and conversation.key == client.session[SESSION_KEY]
    assert conversation.key not in page and len(conversation.key) >= 32  # a secret of the session only
    assert conversation.messages.count() == 2 and conversation.memory_consent_at is None
    assert f'<a href="{url}">Mật ong bạc hà</a>' not in client.get("/tro-ly/").content.decode()


@pytest.mark.django_db
def test_errors_are_vietnamese_and_never_a_500(client, catalog, monkeypatch):
    response = say(client, "   ", follow=True)
    assert "Tin nhắn trống." in response.content.decode() and not Conversation.objects.exists()
    assert say(client, "x" * 1001, **JSON).json() == {"error": "Tin nhắn dài quá (tối đa 1000 ký tự)."}
    monkeypatch.setattr(services, "SITE_PER_MINUTE", 1)
    assert say(client, "chào shop", **JSON).status_code == 200
    limited = say(client, "chào shop", **JSON)
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert "nhắn nhanh quá" in limited.json()["error"]


@pytest.mark.django_db
def test_the_panel_talks_json_and_polls_only_its_own_conversation(client, catalog):
    panel = client.get("/tro-ly/khung/").content.decode()
    assert panel.startswith('<section class="as-panel"') and "<html" not in panel and 'id="gui"' in panel
    body = say(client, "chè shan tuyết bao nhiêu tiền", **JSON).json()
    assert body["intent"] == "product_question" and body["handover"] is False and body["order"] is None
    assert body["products"] == [{"id": catalog.tea.pk, "name": catalog.tea.name, "url": catalog.tea.get_absolute_url()}]
    assert [(m["role"], m["who"]) for m in body["messages"]] == [("buyer", "Bạn"), ("assistant", "Trợ lý")]
    last = body["messages"][-1]["id"]
    assert client.get("/tro-ly/tin-nhan/", {"sau": last}).json() == {"messages": [], "taken_over": False}
    assert len(client.get("/tro-ly/tin-nhan/", {"sau": "abc"}).json()["messages"]) == 2
    stranger = Client()
    assert stranger.get("/tro-ly/tin-nhan/").json() == {"messages": [], "taken_over": False}
    assert "chè shan tuyết" not in stranger.get("/tro-ly/").content.decode()


@pytest.mark.django_db
def test_the_conversation_follows_the_session_across_networks(client, catalog):
    say(client, "chè shan tuyết bao nhiêu tiền", REMOTE_ADDR="198.51.100.7")
    body = say(client, "còn hàng ko", REMOTE_ADDR="203.0.113.9", **JSON).json()
    assert body["products"][0]["id"] == catalog.tea.pk  # the same conversation on another network
    assert Conversation.objects.count() == 1


@pytest.mark.django_db
def test_memory_consent_keeps_a_conversation_30_days_else_24_hours(client, catalog):
    say(client, "chào shop")  # not ticked
    other = Client()
    say(other, "chào shop", remember=True)
    unticked, ticked = Conversation.objects.order_by("pk")
    assert unticked.memory_consent_at is None and ticked.memory_consent_at is not None
    assert 'name="nho" value="1" checked>' in other.get("/tro-ly/").content.decode()
    day_ago = timezone.now() - datetime.timedelta(hours=25)
    Conversation.objects.update(updated_at=day_ago)
    prune_idle_conversations.call_local()
    assert list(Conversation.objects.values_list("pk", flat=True)) == [ticked.pk]
    Conversation.objects.update(updated_at=timezone.now() - datetime.timedelta(days=31))
    assert services.prune_conversations() == 1 and not Message.objects.exists()


@pytest.mark.django_db
def test_consent_is_withdrawn_by_sending_unticked_or_forgetting_at_once(client, catalog):
    say(client, "chào shop", remember=True)
    say(client, "mật ong giá bao nhiêu")  # unticked this time: back to 24 hours
    assert Conversation.objects.get().memory_consent_at is None
    response = client.post("/tro-ly/quen/", follow=True)
    assert "Đã xoá cuộc trò chuyện" in response.content.decode()
    assert not Conversation.objects.exists() and not Message.objects.exists()
    assert SESSION_KEY not in client.session
    assert client.post("/tro-ly/quen/", **JSON).json()["ok"] is True  # nothing left: nothing to do
    say(client, "chào shop")
    assert Conversation.objects.count() == 1  # a new conversation, with a new key


@pytest.mark.django_db
def test_every_page_has_the_button_but_not_the_panel_script(client, catalog):
    page = client.get("/").content.decode()
    assert '<a class="chat-fab" href="/tro-ly/"' in page and "Hỏi trợ lý" in page
    assert 'src="/static/web/assistant-open.js"' in page
    assert 'src="/static/web/assistant.js"' not in page and 'href="/static/web/assistant.css"' not in page


def _order_of(variant_id: int) -> str:
    address = create_address(province_code=1, commune_code=70, street="12 Hàng Bạc")
    order = place_order(
        buyer=None,
        lines=[LineRequest(variant_id, 1)],
        contact=Contact("Lan", "0912345678"),
        payment_method="cod",
        delivery_address=address,
    )
    return order.code


@pytest.mark.django_db
def test_shop_concerned(catalog):
    honey, tea = catalog.honey, catalog.tea
    assert services.shop_concerned(reply=Reply("", "search", products=[honey]), state={}) == honey.shop_id
    assert services.shop_concerned(reply=Reply("", "search", products=[honey, tea]), state={}) is None
    code = _order_of(honey.variants.order_by("pk").first().pk)
    order = Reply("", "order_status", order={"code": code, "status": "placed"})
    assert services.shop_concerned(reply=order, state={}) == honey.shop_id
    assert services.shop_concerned(reply=Reply("", "complaint", handover=True), state={"products": [tea.pk]}) == (
        tea.shop_id
    )
    assert services.shop_concerned(reply=Reply("", "complaint", handover=True), state={"order_code": code}) == (
        honey.shop_id
    )
    named = services.shop_concerned(
        reply=Reply("", "complaint", handover=True), state={"products": [tea.pk]}, named=[honey]
    )
    assert named == honey.shop_id  # the product the complaint names comes before the last one shown
    assert services.shop_concerned(reply=Reply("", "other"), state={"products": [tea.pk]}) is None


@pytest.mark.django_db
def test_the_conversation_is_about_the_last_single_shop_until_handed_over(client, catalog):
    say(client, "chè shan tuyết bao nhiêu tiền")
    assert Conversation.objects.get().shop_id == catalog.tea_shop.pk
    say(client, "mật ong bạc hà giá bao nhiêu")
    assert Conversation.objects.get().shop_id == catalog.honey_shop.pk
    complaint = say(client, "hàng giao bị vỡ, cho mình gặp người bán", **JSON).json()
    assert complaint["handover"] is True
    say(client, "chè shan tuyết bao nhiêu tiền")
    conversation = Conversation.objects.get()
    assert conversation.handover and conversation.shop_id == catalog.honey_shop.pk  # stays with the shop asked
