"""The producer inbox's actions (docs/assistant.md, "Producer inbox"): a person takes a conversation over from the
assistant, answers the buyer, and hands it back.

Who may: the owner of the shop the conversation is about, a helper with a live delegation from that owner, or an
operator (every conversation). Each action is one transaction, audited (without the message text), and told to
the buyer in the conversation itself; on Zalo and Messenger through `channels.send_reply` (the outbox).
"""

from __future__ import annotations

import unicodedata

from django.db import transaction
from django.utils import timezone

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import NotAllowed, can_manage
from taybac.assistant.channels import send_reply
from taybac.assistant.models import Channel, Conversation, Message
from taybac.core import audit
from taybac.core.errors import DomainError

MAX_REPLY = 1000
HUB_NAME = "Tây Bắc Hub"


class InboxError(DomainError):
    """An inbox action that cannot be done as asked (empty reply, an API conversation, nothing to hand back)."""


def is_operator(*, user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.OPERATOR))


def may_answer(*, user: User, conversation: Conversation) -> bool:
    """Operators answer any conversation; a shop's people (owner, live delegation) the conversations about it."""
    if is_operator(user=user):
        return True
    shop = conversation.shop
    return bool(user.is_authenticated and shop is not None and can_manage(user, shop.producer))


def _locked(actor: User, conversation: Conversation) -> Conversation:
    locked = (  # the conversation row only: PostgreSQL cannot lock the nullable side of the join to its shop
        Conversation.objects.select_for_update(of=("self",)).select_related("shop__producer").get(pk=conversation.pk)
    )
    if not may_answer(user=actor, conversation=locked):
        raise NotAllowed("Bạn không được trả lời cuộc trò chuyện này.")
    return locked


def _owner(conversation: Conversation) -> User | None:
    return conversation.shop.producer.owner if conversation.shop is not None else None


def _say(
    conversation: Conversation, text: str, *, role: str = Message.Role.ASSISTANT, author: User | None = None
) -> Message:
    """A message to the buyer: stored in the history (the site's widget shows it), sent on Zalo or Messenger."""
    message = Message.objects.create(conversation=conversation, role=role, text=text, author=author)
    send_reply(conversation=conversation, text=text)
    return message


def _take(actor: User, conversation: Conversation) -> None:
    if conversation.channel == Channel.API:
        raise InboxError(
            "Cuộc trò chuyện này đến từ một ứng dụng khác qua API: người mua không nhận được tin nhắn từ hộp thư."
        )
    if conversation.taken_over_by_id == actor.pk:
        return
    who = conversation.shop.name if conversation.shop is not None and not is_operator(user=actor) else HUB_NAME
    conversation.taken_over_by = actor
    conversation.taken_over_at = timezone.now()
    conversation.handover = True
    conversation.save(update_fields=["taken_over_by", "taken_over_at", "handover", "updated_at"])
    _say(conversation, f"Người của {who} đã nhận cuộc trò chuyện và sẽ trả lời bạn tại đây.")
    audit.record(actor=actor, on_behalf_of=_owner(conversation), action="assistant.taken_over", target=conversation)


def take_over(*, actor: User, conversation: Conversation) -> Conversation:
    """Tiếp nhận (take over): the assistant stops answering; the buyer is told a person answers now."""
    with transaction.atomic():
        locked = _locked(actor, conversation)
        _take(actor, locked)
    return locked


def _clean(text: str) -> str:
    """The reply as the buyer will read it: NFC, control and format characters dropped, 1–MAX_REPLY characters."""
    text = unicodedata.normalize("NFC", text[: MAX_REPLY * 4])
    lines = ["".join(ch for ch in line if unicodedata.category(ch)[0] != "C").strip() for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise InboxError("Hãy viết câu trả lời.", field="text")
    if len(text) > MAX_REPLY:
        raise InboxError(f"Câu trả lời dài quá (tối đa {MAX_REPLY} ký tự).", field="text")
    return text


def reply(*, actor: User, conversation: Conversation, text: str) -> Message:
    """A person's answer, stored as a staff message with its author and delivered to the buyer's channel. A
    conversation still with the assistant is taken over first, so the assistant does not answer over the person."""
    text = _clean(text)
    with transaction.atomic():
        locked = _locked(actor, conversation)
        _take(actor, locked)
        message = _say(locked, text, role=Message.Role.STAFF, author=actor)
        Conversation.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        audit.record(
            actor=actor,
            on_behalf_of=_owner(locked),
            action="assistant.replied",
            target=locked,
            detail={"message": message.pk, "length": len(text)},
        )
    return message


def hand_back(*, actor: User, conversation: Conversation) -> Conversation:
    """Trả lại cho trợ lý (hand back): the assistant answers again; the hand-over is settled, the buyer told."""
    with transaction.atomic():
        locked = _locked(actor, conversation)
        if locked.taken_over_by_id is None:
            raise InboxError("Cuộc trò chuyện đang do trợ lý trả lời.")
        locked.taken_over_by = None
        locked.taken_over_at = None
        locked.handover = False
        locked.save(update_fields=["taken_over_by", "taken_over_at", "handover", "updated_at"])
        _say(locked, "Trợ lý tự động trả lời tiếp. Cần người bán, bạn cứ nhắn “gặp người bán”.")
        audit.record(actor=actor, on_behalf_of=_owner(locked), action="assistant.handed_back", target=locked)
    return locked
