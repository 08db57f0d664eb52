"""One entry point for every channel: a buyer's message in, the assistant's reply out, the conversation kept.

Bounds (docs/assistant.md): the text is 1–MAX_TEXT characters, a conversation keeps its last KEEP_MESSAGES
messages, a client network opens at most CONVERSATIONS_PER_DAY conversations and sends at most PER_MINUTE
messages a minute and PER_DAY a day (the site's chat widget, where a whole town may share one mobile address,
has the SITE_ limits). Counts are database rows, so every server process shares them.

A conversation a person has taken over (assistant/inbox.py) keeps the buyer's messages without answering them.
Without the buyer's consent a conversation is forgotten a day after its last message, with it after 30 days.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from taybac.assistant import grounding, llm, ordering
from taybac.assistant.models import Channel, Conversation, Message, Sent
from taybac.assistant.replies import Reply, confirmed, reply_to
from taybac.assistant.understanding import understand
from taybac.catalog.models import Product
from taybac.core.chat_text import expand_chat
from taybac.core.errors import DomainError
from taybac.orders.models import ShopOrder

MAX_TEXT = 1000
MAX_KEY = 64
CONVERSATION_PATTERN = r"^[\x21-\x7e]+$"  # printable ASCII without spaces: a UUID, a channel's user id
KEEP_MESSAGES = 20
PER_MINUTE = 20
PER_DAY = 500
CONVERSATIONS_PER_DAY = 30
SITE_PER_MINUTE = 60  # the chat widget: per client network, which carrier-grade NAT may share across a town
SITE_PER_DAY = 2000
SITE_CONVERSATIONS_PER_DAY = 500
IDLE_DAYS = 30  # a conversation untouched this long is deleted with its messages (they may hold a phone, an address)
UNCONSENTED_HOURS = 24  # ... and this long when the buyer did not allow the assistant to remember it
WAITING = "Người bán đang trả lời bạn, vui lòng chờ trong giây lát."
_REMEMBERED = ("order_code",)  # the delivery details are kept by assistant.ordering


class AssistantError(DomainError):
    """A message the assistant cannot take (empty, too long, a bad conversation id)."""


class AssistantLimited(DomainError):
    """Too many messages or conversations from this client network; `retry_after` in seconds."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Answer:
    conversation: str
    reply: Reply


def _clean_text(text: str) -> str:
    """Printable text: control and format characters (bidi overrides, zero-width) dropped, spaces collapsed, NFC."""
    text = unicodedata.normalize("NFC", text[: MAX_TEXT * 4])
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


def _limits(channel: str) -> tuple[int, int, int]:
    """Messages a minute, a day and new conversations a day per client network (read at call time)."""
    if channel == Channel.SITE:
        return SITE_PER_MINUTE, SITE_PER_DAY, SITE_CONVERSATIONS_PER_DAY
    return PER_MINUTE, PER_DAY, CONVERSATIONS_PER_DAY


def _rate_key(channel: str, client: str) -> str:
    """The Sent rows' key: the bare network for the API (as documented), the channel before it otherwise."""
    return client if channel == Channel.API else f"{channel}:{client}"[:64]


def _check_rate(channel: str, client: str, now: datetime) -> None:
    per_minute, per_day, _ = _limits(channel)
    Sent.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    sent = Sent.objects.filter(client=_rate_key(channel, client))
    minute = list(
        sent.filter(created_at__gt=now - timedelta(minutes=1)).values_list("created_at", flat=True)[:per_minute]
    )
    if len(minute) >= per_minute:
        wait = max(1, math.ceil((min(minute) + timedelta(minutes=1) - now).total_seconds()))
        raise AssistantLimited("Bạn nhắn nhanh quá, chờ một chút rồi nhắn lại nhé.", retry_after=wait)
    if sent.filter(created_at__gt=now - timedelta(days=1)).count() >= per_day:
        raise AssistantLimited("Hôm nay bạn đã nhắn quá nhiều, mai nhắn lại giúp mình nhé.", retry_after=3600)


def _conversation(channel: str, client: str, key: str, now: datetime) -> Conversation:
    """The conversation, locked; created on its first message. A site conversation's key is a secret the server
    drew and keeps in the buyer's session, so it is found by that key alone and follows the buyer across networks;
    other channels' keys are chosen by the client, so the client's network is part of their identity."""
    found = Conversation.objects.select_for_update().filter(channel=channel, key=key)
    if channel != Channel.SITE:
        found = found.filter(client=client)
    conversation = found.first()
    if conversation is not None:
        return conversation
    opened = Conversation.objects.filter(channel=channel, client=client, created_at__gt=now - timedelta(days=1))
    if opened.count() >= _limits(channel)[2]:
        raise AssistantLimited("Bạn đã mở quá nhiều cuộc trò chuyện hôm nay; hãy dùng lại cuộc cũ.", retry_after=3600)
    return Conversation.objects.create(channel=channel, client=client, key=key)


def _remember(conversation: Conversation, reply: Reply, slots: object) -> None:
    state = dict(conversation.state)
    for name in _REMEMBERED:
        value = getattr(slots, name)
        if value:
            state[name] = value
    if reply.order:
        state["order_code"] = reply.order["code"]
    if reply.products:
        state["products"] = [p.pk for p in reply.products]
    conversation.state = state
    if not conversation.handover:  # a handed-over conversation stays in the inbox of the shop it was handed to
        words = getattr(slots, "product_words", [])
        named = grounding.find_products(words)[0] if reply.handover and not reply.products and words else []
        conversation.shop_id = shop_concerned(reply=reply, state=state, named=named) or conversation.shop_id
    conversation.handover = conversation.handover or reply.handover


def shop_concerned(*, reply: Reply, state: dict[str, object], named: Sequence[Product] = ()) -> int | None:
    """The one shop an answer is about, whose inbox then shows the conversation: the shop of every product the
    reply shows, of the order it names; for a hand-over without either, of the products the message `named`, else
    of the product or order the conversation was last about. None when no shop, or several, are concerned."""
    shops = {p.shop_id for p in reply.products}
    code = reply.order["code"] if reply.order else None
    if not shops and not code and reply.handover:
        shops = {p.shop_id for p in named}
        last = state.get("products")
        if not shops and isinstance(last, list) and last:
            shops = set(Product.objects.filter(pk=last[0]).values_list("shop_id", flat=True))
        code = str(state.get("order_code") or "") or None
    if code:
        shops |= set(ShopOrder.objects.filter(order__code=code).values_list("shop_id", flat=True))
    return shops.pop() if len(shops) == 1 else None


def _trim(conversation: Conversation) -> None:
    old = conversation.messages.order_by("-created_at", "-pk").values_list("pk", flat=True)[KEEP_MESSAGES:]
    Message.objects.filter(pk__in=list(old)).delete()


def handle_message(
    *, channel: str = Channel.API, client: str, conversation: str, text: str, remember: bool | None = None
) -> Answer:
    """Answer one buyer message in a conversation (created on its first message) and keep both in its history.

    `remember` is the buyer's choice about the assistant's memory where a channel asks it (the site's widget):
    True keeps the conversation 30 days, False a day; None leaves it as it was."""
    if channel not in Channel.values:
        raise AssistantError("Kênh không hợp lệ.", field="channel")
    if not 1 <= len(conversation) <= MAX_KEY or not re.fullmatch(CONVERSATION_PATTERN, conversation):
        raise AssistantError(
            f"Mã cuộc trò chuyện phải có 1–{MAX_KEY} ký tự ASCII in được, không dấu cách.", field="conversation"
        )
    if len(text) > MAX_TEXT:
        raise AssistantError(f"Tin nhắn dài quá (tối đa {MAX_TEXT} ký tự).", field="text")
    text = _clean_text(text)
    if not text:
        raise AssistantError("Tin nhắn trống.", field="text")
    client = client[:64] or "unknown"
    now = timezone.now()
    with transaction.atomic():
        _check_rate(channel, client, now)
        convo = _conversation(channel, client, conversation, now)
        Sent.objects.create(client=_rate_key(channel, client), created_at=now)
        if remember is not None:
            convo.memory_consent_at = (convo.memory_consent_at or now) if remember else None
        understanding = understand(text)
        if convo.taken_over_by_id is not None:  # a person answers: keep the message for them, say so
            reply = Reply(WAITING, understanding.intent, handover=True)
            convo.save()
            Message.objects.create(conversation=convo, role=Message.Role.BUYER, text=text, intent=reply.intent)
            _trim(convo)
            return Answer(conversation=conversation, reply=reply)
        state = dict(convo.state)
        ordering.remember_details(state, understanding.slots, text)
        if ordering.is_confirmation(text) and (state.get("pending") or state.get("placed")):
            reply = confirmed(state)
        elif ordering.is_confirmation(text) and state.get("cart"):  # a yes before the summary: what is missing
            reply = Reply(ordering.summary(state)[0], "add_to_order")
        else:
            state.pop("placed", None)  # only the message right after an order can be its retry
            reply = reply_to(understanding, joined=" ".join(expand_chat(text)), state=state, network=client)
        convo.state = state
        _remember(convo, reply, understanding.slots)
        convo.save()
        Message.objects.create(conversation=convo, role=Message.Role.BUYER, text=text, intent=reply.intent)
        stored = Message.objects.create(
            conversation=convo, role=Message.Role.ASSISTANT, text=reply.text, intent=reply.intent
        )
        _trim(convo)
    worded = llm.reword(reply=reply, question=text)  # optional (off by default); after the transaction: no lock held
    if worded != reply.text:
        reply.text = worded
        Message.objects.filter(pk=stored.pk).update(text=worded)
    return Answer(conversation=conversation, reply=reply)


def forget_conversation(*, conversation: Conversation) -> None:
    """The buyer's "Xoá và quên" (delete and forget): consent to the assistant's memory withdrawn, the
    conversation and its messages deleted at once. The caller proves the conversation is the buyer's own (the
    site keeps its secret key in their session)."""
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).delete()


def prune_conversations(*, idle_days: int = IDLE_DAYS, unconsented_hours: int = UNCONSENTED_HOURS) -> int:
    """Delete conversations idle for `idle_days`, or for `unconsented_hours` when the buyer did not allow the
    assistant to remember them (their messages go with them), and rate rows older than a day; returns the number
    of conversations deleted. Run hourly by assistant.tasks."""
    now = timezone.now()
    Sent.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    idle = Q(updated_at__lt=now - timedelta(days=idle_days))
    unconsented = Q(memory_consent_at__isnull=True, updated_at__lt=now - timedelta(hours=unconsented_hours))
    _, per_model = Conversation.objects.filter(idle | unconsented).delete()
    return per_model.get("assistant.Conversation", 0)
