"""One entry point for every channel: a buyer's message in, the assistant's reply out, the conversation kept.

Bounds (docs/assistant.md): the text is 1–MAX_TEXT characters, a conversation keeps its last KEEP_MESSAGES
messages, a client network opens at most CONVERSATIONS_PER_DAY conversations and sends at most PER_MINUTE
messages a minute and PER_DAY a day. Counts are database rows, so every server process shares them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from taybac.assistant import ordering
from taybac.assistant.models import Channel, Conversation, Message, Sent
from taybac.assistant.replies import Reply, confirmed, reply_to
from taybac.assistant.understanding import understand
from taybac.core.chat_text import expand_chat
from taybac.core.errors import DomainError

MAX_TEXT = 1000
MAX_KEY = 64
CONVERSATION_PATTERN = r"^[\x21-\x7e]+$"  # printable ASCII without spaces: a UUID, a channel's user id
KEEP_MESSAGES = 20
PER_MINUTE = 20
PER_DAY = 500
CONVERSATIONS_PER_DAY = 30
IDLE_DAYS = 30  # a conversation untouched this long is deleted with its messages (they may hold a phone, an address)
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


def _check_rate(client: str, now: datetime) -> None:
    Sent.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    sent = Sent.objects.filter(client=client)
    minute = list(
        sent.filter(created_at__gt=now - timedelta(minutes=1)).values_list("created_at", flat=True)[:PER_MINUTE]
    )
    if len(minute) >= PER_MINUTE:
        wait = max(1, math.ceil((min(minute) + timedelta(minutes=1) - now).total_seconds()))
        raise AssistantLimited("Bạn nhắn nhanh quá, chờ một chút rồi nhắn lại nhé.", retry_after=wait)
    if sent.filter(created_at__gt=now - timedelta(days=1)).count() >= PER_DAY:
        raise AssistantLimited("Hôm nay bạn đã nhắn quá nhiều, mai nhắn lại giúp mình nhé.", retry_after=3600)


def _conversation(channel: str, client: str, key: str, now: datetime) -> Conversation:
    found = Conversation.objects.select_for_update().filter(channel=channel, client=client, key=key).first()
    if found is not None:
        return found
    opened = Conversation.objects.filter(client=client, created_at__gt=now - timedelta(days=1)).count()
    if opened >= CONVERSATIONS_PER_DAY:
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
    conversation.handover = conversation.handover or reply.handover


def _trim(conversation: Conversation) -> None:
    old = conversation.messages.order_by("-created_at", "-pk").values_list("pk", flat=True)[KEEP_MESSAGES:]
    Message.objects.filter(pk__in=list(old)).delete()


def handle_message(*, channel: str = Channel.API, client: str, conversation: str, text: str) -> Answer:
    """Answer one buyer message in a conversation (created on its first message) and keep both in its history."""
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
        _check_rate(client, now)
        convo = _conversation(channel, client, conversation, now)
        Sent.objects.create(client=client, created_at=now)
        understanding = understand(text)
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
        Message.objects.create(conversation=convo, role=Message.Role.ASSISTANT, text=reply.text, intent=reply.intent)
        _trim(convo)
    return Answer(conversation=conversation, reply=reply)


def prune_conversations(*, idle_days: int = IDLE_DAYS) -> int:
    """Delete conversations idle for `idle_days` (their messages go with them) and rate rows older than a day;
    returns the number of conversations deleted. Run daily by assistant.tasks."""
    now = timezone.now()
    Sent.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    _, per_model = Conversation.objects.filter(updated_at__lt=now - timedelta(days=idle_days)).delete()
    return per_model.get("assistant.Conversation", 0)
