"""Live chat (docs/selling-events.md, "Livestream selling"): bounded, rate-limited, plain-text messages; the
producer hides one; a "chốt đơn" comment also becomes a draft order (campaigns/live_orders.py)."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from taybac.accounts.models import User
from taybac.accounts.selectors import require_can_manage
from taybac.campaigns.live_models import ChatMessage, LiveSession
from taybac.campaigns.live_orders import drafts_from_comment
from taybac.core import audit
from taybac.core.errors import DomainError

MAX_TEXT = 300
MAX_NAME = 40
MIN_GAP = timedelta(seconds=2)  # one message per two seconds per sender…
PER_MINUTE = 12  # …and at most twelve a minute
_SPACES = re.compile(r"\s+")


class ChatError(DomainError):
    """A chat message refused; the message says why, in Vietnamese."""


def _clean(text: str, *, limit: int) -> str:
    """Printable text on one line: control and format characters (bidi overrides, zero-width) removed, spaces
    collapsed, NFC. Stored as text and escaped wherever shown (templates, JSON), never as HTML."""
    text = unicodedata.normalize("NFC", (text or "")[: limit * 4])
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t\n")
    return _SPACES.sub(" ", text).strip()[:limit]


def post_message(*, session: LiveSession, user: User | None, sender_key: str, name: str, text: str) -> ChatMessage:
    """Post to a scheduled or live session's chat; a comment that reads as an order also makes a draft order."""
    text = _clean(text, limit=MAX_TEXT)
    if not text:
        raise ChatError("Nhập nội dung bình luận.", field="text")
    name = _clean(name, limit=MAX_NAME) or (user.get_full_name() if user else "") or "Khách"
    if session.status == LiveSession.Status.ENDED:
        raise ChatError("Buổi phát đã kết thúc, không bình luận được nữa.")
    if not sender_key or len(sender_key) > 64:
        raise ChatError("Không xác định được người gửi.")
    now = timezone.now()
    with transaction.atomic():
        recent = list(
            ChatMessage.objects.filter(sender_key=sender_key, created_at__gte=now - timedelta(minutes=1))
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:PER_MINUTE]
        )
        if len(recent) >= PER_MINUTE or (recent and now - recent[0] < MIN_GAP):
            raise ChatError("Bạn gửi nhanh quá, chờ vài giây rồi gửi lại.", code="rate_limited")
        message = ChatMessage.objects.create(
            session=session,
            author=user if user and user.is_authenticated else None,
            sender_key=sender_key,
            name=name[:MAX_NAME],
            text=text,
        )
        drafts_from_comment(message=message)
    return message


@transaction.atomic
def hide_message(*, actor: User, message: ChatMessage) -> ChatMessage:
    """The producer (or their helper) hides a message from the chat; viewers' pages drop it at once."""
    require_can_manage(actor, message.session.shop.producer)
    ChatMessage.objects.filter(pk=message.pk).update(hidden=True)
    LiveSession.objects.filter(pk=message.session_id).update(revision=F("revision") + 1)
    audit.record(actor=actor, action="live.message_hidden", target=message.session, detail={"message": message.pk})
    message.hidden = True
    return message
