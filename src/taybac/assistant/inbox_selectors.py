"""Reads of conversations for the people who answer them (the producer and operator inboxes) and for the buyer's
own chat on the site (the widget and /tro-ly/), each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.fields import BooleanField

from taybac.assistant.models import Channel, Conversation, Message
from taybac.catalog.models import Shop

INBOX_SIZE = 50  # conversations listed per page of the inbox
PREVIEW = 120  # characters of the last message shown in the list
HISTORY = 40  # messages read for a conversation's page (a conversation keeps fewer)


def _last(field: str) -> Subquery:
    return Subquery(
        Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-pk").values(field)[:1]
    )


def _listed(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """With the last message's role and text and whether a person should answer (`waiting`): handed over and
    nobody took it, or taken over and the buyer spoke last. Handed-over ones first, then the newest."""
    return (
        conversations.annotate(last_role=_last("role"), last_text=_last("text"))
        .annotate(
            waiting=Case(
                When(
                    Q(handover=True) & (Q(taken_over_by__isnull=True) | Q(last_role=Message.Role.BUYER)),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("shop", "taken_over_by")
        .order_by("-handover", "-updated_at", "-pk")
    )


def shop_inbox(*, shop: Shop) -> list[Conversation]:
    """The shop's conversations for its inbox (one query)."""
    return list(_listed(Conversation.objects.filter(shop=shop))[:INBOX_SIZE])


def operator_inbox(*, channel: str = "") -> list[Conversation]:
    """Every shop's conversations, and those about no shop, for the operators (one query)."""
    conversations = Conversation.objects.all()
    if channel in Channel.values:
        conversations = conversations.filter(channel=channel)
    return list(_listed(conversations)[:INBOX_SIZE])


def waiting_count(*, shop: Shop) -> int:
    """Conversations of the shop waiting for a person (the seller home's badge; one query)."""
    handed_over = Conversation.objects.filter(shop=shop, handover=True).annotate(last_role=_last("role"))
    return handed_over.filter(Q(taken_over_by__isnull=True) | Q(last_role=Message.Role.BUYER)).count()


def conversation_for_inbox(*, pk: int) -> Conversation | None:
    return Conversation.objects.select_related("shop__producer", "taken_over_by").filter(pk=pk).first()


def history(*, conversation: Conversation, after: int = 0) -> list[Message]:
    """The conversation's messages (those after message id `after`), oldest first, with the staff's authors."""
    messages = conversation.messages.filter(pk__gt=after).select_related("author").order_by("-created_at", "-pk")
    return list(reversed(messages[:HISTORY]))


def site_conversation(*, key: str) -> Conversation | None:
    """The site conversation whose secret key the buyer's session holds (None before the first message)."""
    if not key:
        return None
    return Conversation.objects.select_related("shop").filter(channel=Channel.SITE, key=key).first()
