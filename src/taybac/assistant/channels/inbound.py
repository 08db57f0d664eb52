"""A buyer's chat message from Zalo or Messenger, answered once: the event id is stored in the same transaction
as the answer and its queued reply, so a retried delivery (the channel did not see our 200) finds it and does
nothing, and an answer that rolls back leaves no trace for the retry to trip over.

Each buyer is a client of their own for the assistant's limits (20 messages a minute, 500 a day, counted by
`handle_message`): the client is "<channel>:<OA or page id>:<buyer id>", the conversation key the buyer id.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from taybac.assistant.channels import send_reply
from taybac.assistant.models import ChannelEvent, Conversation
from taybac.assistant.services import MAX_TEXT, AssistantError, AssistantLimited, handle_message

logger = logging.getLogger("taybac.assistant.channels")

KEEP_EVENTS = timedelta(days=3)  # longer than any channel retries, and than the age a webhook accepts
ID_PATTERN = re.compile(r"[0-9A-Za-z_-]{1,24}")  # Zalo user and OA ids, Messenger PSIDs and page ids: digits
MAX_EVENT_ID = 128


@dataclass(frozen=True)
class Incoming:
    """One text message as a channel delivered it."""

    channel: str
    event_id: str  # Zalo msg_id, Messenger mid
    scope: str  # the OA or Page it was sent to
    sender: str  # the buyer's id on that OA or Page
    text: str


def well_formed(*, event_id: object, scope: object, sender: object, text: object) -> bool:
    """Ids the conversation key and the event table can hold, and a text; anything else is not a message."""
    return (
        isinstance(event_id, str)
        and 1 <= len(event_id) <= MAX_EVENT_ID
        and event_id.isascii()
        and event_id.isprintable()
        and all(isinstance(v, str) and ID_PATTERN.fullmatch(v) for v in (scope, sender))
        and isinstance(text, str)
    )


def receive(*, incoming: Incoming) -> str:
    """Answer one message unless it was answered before; returns "answered", "duplicate", "limited" (the buyer
    is over the assistant's limits: no answer, no reply), "refused" (a text the assistant does not take) or
    "waiting" (a person has the conversation: the message is kept for them, nothing is sent)."""
    client = f"{incoming.channel}:{incoming.scope}:{incoming.sender}"
    with transaction.atomic():
        try:
            with transaction.atomic():
                ChannelEvent.objects.create(channel=incoming.channel, event_id=incoming.event_id)
        except IntegrityError:
            return "duplicate"
        try:
            answer = handle_message(
                channel=incoming.channel, client=client, conversation=incoming.sender, text=incoming.text[:MAX_TEXT]
            )
        except AssistantLimited:
            logger.warning("%s buyer %s is over the assistant's limits; not answered", incoming.channel, client)
            return "limited"
        except AssistantError as error:
            logger.info("%s message %s not taken: %s", incoming.channel, incoming.event_id, error.message)
            return "refused"
        conversation = Conversation.objects.get(channel=incoming.channel, client=client, key=incoming.sender)
        if _person_answering(conversation):
            return "waiting"
        send_reply(conversation=conversation, text=answer.reply.text)
    return "answered"


def _person_answering(conversation: Conversation) -> bool:
    """A person has the conversation: the inbox told the buyer so when it was taken over (assistant/inbox.py), so
    the assistant's "a seller is answering you" is not sent again after every message; the message waits for them."""
    return conversation.taken_over_by_id is not None


def prune_events(*, keep: timedelta = KEEP_EVENTS) -> int:
    """Forget channel event ids older than `keep` (the webhooks refuse events that old); returns how many."""
    deleted, _ = ChannelEvent.objects.filter(received_at__lt=timezone.now() - keep).delete()
    return deleted
