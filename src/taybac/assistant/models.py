"""Conversations with the buyer assistant: one per channel, client and client-chosen id, with a short history."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    API = "api", "API (ứng dụng, trang web)"
    SITE = "site", "Khung chat trên trang"
    ZALO = "zalo", "Zalo OA"
    MESSENGER = "messenger", "Facebook Messenger"


class Conversation(models.Model):
    """What the assistant remembers between messages: the products it last showed and the slots read so far.

    Keyed by the client's network as well as its chosen id, so another client that guesses or reuses an id starts
    its own conversation instead of reading this one's state (a phone, the last products)."""

    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.API)
    client = models.CharField(max_length=64, help_text="Client network (IPv4 address or IPv6 /64).")
    key = models.CharField(max_length=64, help_text="The id the client chose for the conversation.")
    state = models.JSONField(default=dict, blank=True, help_text="Slots and the products last shown.")
    handover = models.BooleanField(default=False, help_text="The buyer asked for a person, or the assistant gave up.")
    shop = models.ForeignKey(
        "catalog.Shop",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The shop the conversation is about (its products or orders), whose inbox shows it.",
    )
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The person answering instead of the assistant until they hand it back.",
    )
    taken_over_at = models.DateTimeField(null=True, blank=True)
    memory_consent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the buyer allowed the assistant to remember the conversation for 30 days (else 24 hours).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hội thoại trợ lý"
        verbose_name_plural = "hội thoại trợ lý"
        constraints = [
            models.UniqueConstraint(fields=["channel", "client", "key"], name="assistant_conversation_unique"),
        ]
        indexes = [models.Index(fields=["client", "created_at"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.key}"


class Message(models.Model):
    """One message of a conversation, the buyer's or the assistant's; only the last few are kept."""

    class Role(models.TextChoices):
        BUYER = "buyer", "Người mua"
        ASSISTANT = "assistant", "Trợ lý"
        STAFF = "staff", "Người bán / nhân viên"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.TextField()
    intent = models.CharField(max_length=20, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The person who wrote a staff message.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tin nhắn trợ lý"
        verbose_name_plural = "tin nhắn trợ lý"

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:40]}"


class Sent(models.Model):
    """One buyer message received, kept a day: the per-client rate limits count these (history is trimmed)."""

    client = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "lượt nhắn"
        verbose_name_plural = "lượt nhắn"
        indexes = [models.Index(fields=["client", "created_at"])]


class ChannelEvent(models.Model):
    """A message event a chat channel (Zalo OA, Messenger) delivered, remembered so a retried delivery of the same
    event is answered once, never twice (kept a few days, then pruned)."""

    channel = models.CharField(max_length=16, choices=Channel.choices)
    event_id = models.CharField(max_length=128, help_text="The channel's message id (Zalo msg_id, Messenger mid).")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sự kiện kênh chat"
        verbose_name_plural = "sự kiện kênh chat"
        constraints = [
            models.UniqueConstraint(fields=["channel", "event_id"], name="assistant_channel_event_once"),
        ]
        indexes = [models.Index(fields=["received_at"])]
