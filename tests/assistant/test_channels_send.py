"""send_reply: a Zalo or Messenger reply is an outbox row, sent over real HTTP by the outbox job after commit."""

from __future__ import annotations

import pytest

from taybac.assistant.channels import send_reply
from taybac.assistant.channels.outbound import MAX_REPLY
from taybac.assistant.models import Channel, Conversation
from taybac.core import outbox
from taybac.core.models import OutboxMessage
from tests.assistant.chat_api_server import chat_api  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _conversation(channel: str, key: str = "2512345678901234567") -> Conversation:
    return Conversation.objects.create(channel=channel, client=f"{channel}:99:{key}", key=key)


def test_zalo_reply_is_queued_then_sent_as_a_customer_service_message(chat_api):
    send_reply(conversation=_conversation(Channel.ZALO), text="Mật ong bạc hà 250.000 ₫")
    row = OutboxMessage.objects.get()
    assert (row.channel, row.recipient, row.status) == ("zalo", "2512345678901234567", "pending")
    assert chat_api.received == []  # nothing leaves inside the caller's transaction

    assert outbox.deliver_due() == 1
    (request,) = chat_api.received
    assert request.path == "/v3.0/oa/message/cs"
    assert request.headers["access_token"] == "zalo-token"
    assert request.body == {
        "recipient": {"user_id": "2512345678901234567"},
        "message": {"text": "Mật ong bạc hà 250.000 ₫"},
    }
    assert OutboxMessage.objects.get().status == "sent"


def test_messenger_reply_uses_the_send_api_with_messaging_type_response(chat_api):
    send_reply(conversation=_conversation(Channel.MESSENGER, "6543210987654321"), text="Chào bạn")
    assert outbox.deliver_due() == 1
    (request,) = chat_api.received
    assert request.path == "/v23.0/me/messages?access_token=page-token"
    assert request.body == {
        "recipient": {"id": "6543210987654321"},
        "messaging_type": "RESPONSE",
        "message": {"text": "Chào bạn"},
    }


def test_site_and_api_conversations_send_nothing(chat_api):
    send_reply(conversation=_conversation(Channel.SITE, "abc"), text="Chào bạn")
    send_reply(conversation=_conversation(Channel.API, "abd"), text="Chào bạn")
    assert not OutboxMessage.objects.exists()


def test_a_long_reply_is_cut_to_what_the_api_takes(chat_api):
    send_reply(conversation=_conversation(Channel.ZALO), text="chè " * 1000)
    body = OutboxMessage.objects.get().body
    assert len(body) == MAX_REPLY and body.endswith("…")


def test_zalo_error_code_is_retried_later_then_delivered(chat_api, settings):
    send_reply(conversation=_conversation(Channel.ZALO), text="Chào bạn")
    chat_api.answer_next(200, {"error": -216, "message": "Access token is invalid"})
    assert outbox.deliver_due() == 0
    row = OutboxMessage.objects.get()
    assert row.status == "pending" and row.attempts == 1 and "-216" in row.last_error
    assert outbox.deliver_due(now=row.next_attempt_at) == 1
    assert len(chat_api.received) == 2


def test_messenger_server_error_is_retried_at_once_and_a_refusal_fails_for_good(chat_api, monkeypatch):
    monkeypatch.setattr("taybac.assistant.channels.outbound.BACKOFF_S", 0)
    send_reply(conversation=_conversation(Channel.MESSENGER, "111"), text="Chào bạn")
    chat_api.answer_next(503, {"error": {"message": "busy", "code": 2}})
    assert outbox.deliver_due() == 1  # the second try within the same job got through
    assert len(chat_api.received) == 2

    send_reply(conversation=_conversation(Channel.MESSENGER, "222"), text="Chào bạn")
    chat_api.answer_next(
        400, {"error": {"message": "outside the allowed window", "code": 10, "error_subcode": 2018278}}
    )
    assert outbox.deliver_due() == 0
    failed = OutboxMessage.objects.get(recipient="222")
    assert failed.status == "failed" and "code 10" in failed.last_error


def test_unreachable_api_leaves_the_reply_pending(chat_api, settings, monkeypatch):
    monkeypatch.setattr("taybac.assistant.channels.outbound.BACKOFF_S", 0)
    settings.TAYBAC_ZALO_API_URL = "http://127.0.0.1:9"  # discard port: connection refused
    send_reply(conversation=_conversation(Channel.ZALO), text="Chào bạn")
    assert outbox.deliver_due() == 0
    row = OutboxMessage.objects.get()
    assert row.status == "pending" and "unreachable" in row.last_error
