"""The assistant's chat channels beyond the site: Zalo OA and Facebook Messenger (docs/assistant.md, "Zalo and
Messenger"). Webhooks bring buyers' messages in (`inbound`), replies go out through the outbox (`send_reply`), so a
reply exists exactly when the transaction that wrote it commits and is sent, with retries, by the job runner.
"""

from __future__ import annotations

from taybac.assistant.channels.outbound import reply_text, send_messenger, send_zalo
from taybac.assistant.models import Channel, Conversation
from taybac.core import outbox, senders

# Outbox channel names (core.OutboxMessage.channel holds at most 8 characters).
OUTBOX_CHANNELS = {Channel.ZALO: "zalo", Channel.MESSENGER: "facebook"}


def register_senders() -> None:
    """Called from AssistantConfig.ready(): the outbox (core) may not import the assistant, so the assistant
    hands it the senders of its channels."""
    senders.register_channel(OUTBOX_CHANNELS[Channel.ZALO], send_zalo)
    senders.register_channel(OUTBOX_CHANNELS[Channel.MESSENGER], send_messenger)


def send_reply(*, conversation: Conversation, text: str) -> None:
    """Queue `text` to the buyer of a Zalo or Messenger conversation (the conversation's key is the buyer's id on
    that channel); it is sent after the caller's transaction commits. Site and API conversations are answered in
    the response itself: nothing to send."""
    channel = OUTBOX_CHANNELS.get(Channel(conversation.channel)) if conversation.channel in Channel.values else None
    text = reply_text(text)
    if channel is None or not text:
        return
    outbox.enqueue([outbox.Message(channel=channel, recipient=conversation.key, body=text)])
