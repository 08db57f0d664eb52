"""While a seller has taken a Zalo conversation over, the buyer's messages are kept for them and nothing automatic
is sent: the buyer was told at the take-over (by the inbox) that a person answers now, and the seller's replies
reach Zalo through the outbox."""

from __future__ import annotations

import pytest

from taybac.assistant.inbox import reply
from taybac.assistant.models import Conversation, Message
from taybac.core import outbox
from taybac.core.models import OutboxMessage
from tests import factories
from tests.assistant.chat_api_server import chat_api  # noqa: F401  (fixture)
from tests.assistant.test_zalo_webhook import USER, event, post


@pytest.mark.django_db
def test_a_taken_over_conversation_waits_for_the_seller(client, catalog, chat_api):
    assert post(client, event("chào shop", msg_id="a")).json()["outcomes"] == ["answered"]
    operator = factories.make_user(role="operator")
    conversation = Conversation.objects.get(channel="zalo")
    reply(actor=operator, conversation=conversation, text="Chào bạn, mình là người bán, bạn cần gì ạ?")

    assert post(client, event("mật ong còn không", msg_id="b")).json()["outcomes"] == ["waiting"]
    assert post(client, event("shop ơi", msg_id="c")).json()["outcomes"] == ["waiting"]
    kept = Message.objects.filter(role=Message.Role.BUYER).values_list("text", flat=True)
    assert set(kept) == {"chào shop", "mật ong còn không", "shop ơi"}  # kept for the seller's inbox

    outbox.deliver_due()
    texts = [r.body["message"]["text"] for r in chat_api.received]
    assert len(texts) == 3 and all(r.body["recipient"] == {"user_id": USER} for r in chat_api.received)
    assert "đã nhận cuộc trò chuyện" in texts[1] and texts[2] == "Chào bạn, mình là người bán, bạn cần gì ạ?"
    assert OutboxMessage.objects.filter(status="sent").count() == 3
