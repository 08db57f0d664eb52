"""POST /api/v1/assistant/messages: the contract every channel uses, its bounds and its errors."""

import datetime

import pytest
from django.utils import timezone

from taybac.assistant import services
from taybac.assistant.models import Conversation, Message, Sent
from taybac.assistant.tasks import prune_idle_conversations
from tests.api.conftest import assert_error

URL = "/api/v1/assistant/messages"


def send(client, text, conversation="conv-1", **extra):
    return client.post(URL, {"conversation": conversation, "text": text}, content_type="application/json", **extra)


@pytest.mark.django_db
def test_the_contract(client, catalog):
    response = send(client, "Mật ong bạc hà giá bao nhiêu vậy shop")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"conversation", "reply", "intent", "products", "order", "handover"}
    assert body["conversation"] == "conv-1" and body["intent"] == "product_question"
    assert body["products"] == [
        {"id": catalog.honey.pk, "name": "Mật ong bạc hà", "url": catalog.honey.get_absolute_url()}
    ]
    assert body["order"] is None and body["handover"] is False and "350.000 ₫" in body["reply"]


@pytest.mark.django_db
def test_conversations_persist_per_client_network_and_keep_a_short_history(client, catalog, monkeypatch):
    send(client, "chè shan tuyết bao nhiêu tiền", conversation="zalo:123")
    again = send(client, "còn hàng ko", conversation="zalo:123").json()
    assert again["products"][0]["id"] == catalog.tea.pk
    elsewhere = send(client, "còn hàng ko", conversation="zalo:123", REMOTE_ADDR="203.0.113.9").json()
    assert elsewhere["products"] == []  # another network guessing the id gets its own conversation
    assert Conversation.objects.filter(key="zalo:123").count() == 2
    monkeypatch.setattr(services, "KEEP_MESSAGES", 4)
    for text in ("chào shop", "cảm ơn", "ok shop"):
        send(client, text, conversation="zalo:123")
    kept = Message.objects.filter(conversation__key="zalo:123", conversation__client="127.0.0.1")
    buyer = kept.filter(role=Message.Role.BUYER).order_by("created_at", "pk").values_list("text", flat=True)
    assert list(buyer) == ["cảm ơn", "ok shop"]  # the last four messages: two exchanges
    assert kept.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"conversation": "c"},
        {"text": "chào"},
        {"conversation": "", "text": "chào"},
        {"conversation": "x" * 65, "text": "chào"},
        {"conversation": "có dấu", "text": "chào"},
        {"conversation": "c", "text": ""},
        {"conversation": "c", "text": "a" * 1001},
        {"conversation": "c", "text": 5},
        {"conversation": "c", "text": "chào", "extra": 1},
        ["c", "chào"],
    ],
)
def test_bad_input_is_a_precise_422(client, body):
    assert_error(client.post(URL, body, content_type="application/json"), 422, "validation_error")
    assert not Conversation.objects.exists()


@pytest.mark.django_db
def test_unparseable_or_blank_messages_are_400(client):
    assert_error(client.post(URL, "{not json", content_type="application/json"), 400, "bad_request")
    error = assert_error(send(client, " \u200b\u202e "), 400, "invalid")
    assert error["field"] == "text"
    assert not Conversation.objects.exists()


@pytest.mark.django_db
def test_rate_limited_per_client_network(client, catalog, monkeypatch):
    monkeypatch.setattr(services, "PER_MINUTE", 3)
    for _ in range(3):
        assert send(client, "chào shop").status_code == 200
    limited = send(client, "chào shop")
    assert_error(limited, 429, "too_many_requests")
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert send(client, "chào shop", REMOTE_ADDR="203.0.113.9").status_code == 200
    assert Sent.objects.filter(client="127.0.0.1").count() == 3


@pytest.mark.django_db
def test_new_conversations_per_client_are_bounded(client, catalog, monkeypatch):
    monkeypatch.setattr(services, "CONVERSATIONS_PER_DAY", 2)
    assert send(client, "chào", conversation="a").status_code == 200
    assert send(client, "chào", conversation="b").status_code == 200
    assert_error(send(client, "chào", conversation="c"), 429, "too_many_requests")
    assert send(client, "chào", conversation="a").status_code == 200  # an open one goes on


@pytest.mark.django_db
def test_idle_conversations_are_pruned(client, catalog):
    send(client, "chào", conversation="old")
    send(client, "chào", conversation="new")
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Conversation.objects.filter(key="old").update(updated_at=long_ago)
    Sent.objects.update(created_at=long_ago)
    prune_idle_conversations.call_local()
    assert list(Conversation.objects.values_list("key", flat=True)) == ["new"]
    assert not Message.objects.filter(conversation__key="old").exists() and not Sent.objects.exists()
    assert services.prune_conversations(idle_days=0) == 1
