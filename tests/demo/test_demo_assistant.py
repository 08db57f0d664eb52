"""The demo's assistant conversation: the first producer finds a buyer waiting for a person in "Tin nhắn"."""

from __future__ import annotations

from taybac.accounts.models import User
from taybac.assistant.models import Channel, Conversation
from taybac.demo.plan import producer_phone


def test_the_demo_seller_has_a_conversation_waiting(loaded, client):
    conversation = Conversation.objects.select_related("shop__producer").get(channel=Channel.SITE, client="demo")
    assert conversation.handover and conversation.memory_consent_at is not None
    assert conversation.shop is not None and conversation.shop.producer.owner.phone == producer_phone(0)
    client.force_login(User.objects.get(phone=producer_phone(0)))
    assert "Tin nhắn <b>(1 chờ trả lời)</b>" in client.get("/ban-hang/").content.decode()
    assert f'href="/ban-hang/tin-nhan/{conversation.pk}/"' in client.get("/ban-hang/tin-nhan/").content.decode()
