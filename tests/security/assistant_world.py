"""A buyer's site conversation about producer A's shop, for the matrix rows of the inboxes (docs/assistant.md,
"Producer inbox"): made in a row's `before` (each role's savepoint gets its own), read by its URL."""

from __future__ import annotations

from typing import Any

from taybac.assistant.inbox import take_over
from taybac.assistant.models import Channel, Conversation, Message
from tests.security.conftest import World

_made: dict[int, Conversation] = {}


def conversation(client: Any, w: World) -> None:
    made = Conversation.objects.create(channel=Channel.SITE, client="198.51.100.1", key="matrix-site", shop=w.shop)
    Message.objects.create(conversation=made, role=Message.Role.BUYER, text="Chè còn hàng không shop?")
    _made[id(w)] = made


def taken_over(client: Any, w: World) -> None:
    conversation(client, w)
    take_over(actor=w.shop.producer.owner, conversation=_made[id(w)])


def seller_url(suffix: str) -> Any:
    return lambda w: f"/ban-hang/tin-nhan/{_made[id(w)].pk}/{suffix}"


def operator_url(suffix: str) -> Any:
    return lambda w: f"/van-hanh/tin-nhan/{_made[id(w)].pk}/{suffix}"


def buyer_conversation(client: Any, w: World) -> None:
    """This role's own chat on the site, which "Xoá và quên" deletes."""
    client.post("/tro-ly/", {"text": "chào shop"})
