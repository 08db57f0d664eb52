"""Livestream selling (docs/selling-events.md, "Livestream selling"): a producer's live session, the products
shown in it (pinned with a live-only price while live), its chat, and the draft orders made from "chốt đơn"
comments that the producer confirms.

Prices are integer đồng. `revision` counts changes the viewers must see (pins, status, a hidden message): the
events process (campaigns/live_events.py) polls it once per session, never once per viewer.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q


def new_stream_key() -> str:
    """A secret for RTMP ingest: 32 URL-safe characters (192 bits), checked by the hub on every publish."""
    return secrets.token_urlsafe(24)


class LiveSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Sắp phát"
        LIVE = "live", "Đang phát"
        ENDED = "ended", "Đã kết thúc"

    class Source(models.TextChoices):
        EMBED = "embed", "Liên kết YouTube / Facebook / TikTok"
        RTMP = "rtmp", "Phát RTMP lên sàn"
        CLIP = "clip", "Đoạn phim lặp lại (bản demo)"

    shop = models.ForeignKey("catalog.Shop", on_delete=models.PROTECT, related_name="live_sessions")
    title = models.CharField(max_length=120)
    scheduled_start = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.EMBED)
    link = models.URLField(max_length=300, blank=True, help_text="The live link the producer pasted.")
    embed_url = models.URLField(max_length=400, blank=True, help_text="The provider's embed URL made from `link`.")
    stream_key = models.CharField(max_length=64, unique=True, default=new_stream_key)
    replay_url = models.URLField(max_length=400, blank=True)
    clip_url = models.CharField(max_length=300, blank=True, help_text="A looping clip on the hub (the demo's).")
    revision = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_start", "-id"]
        indexes = [models.Index(fields=["status", "scheduled_start"])]

    def __str__(self) -> str:
        return self.title


class LiveProduct(models.Model):
    """A variant shown in a session under a short code buyers type in comments ("A2"); pinned while live with
    an optional live-only price. It stays after the session ends, so the replay keeps its products."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="products")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=4)
    live_price = models.PositiveBigIntegerField(null=True, blank=True, help_text="Integer đồng, while live only.")
    pinned = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "code"], name="live_product_code_unique"),
            models.UniqueConstraint(fields=["session", "variant"], name="live_product_variant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.variant_id}"


class ChatMessage(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sender_key = models.CharField(max_length=64, help_text="Who posted, for the rate limit: account or session.")
    name = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["session", "id"]), models.Index(fields=["sender_key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:40]}"


class DraftOrder(models.Model):
    """A "chốt đơn" comment read as an order: the producer confirms it (a real order) or rejects it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Chờ xác nhận"
        CONFIRMED = "confirmed", "Đã tạo đơn"
        REJECTED = "rejected", "Đã bỏ qua"

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="drafts")
    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, related_name="drafts")
    product = models.ForeignKey(LiveProduct, on_delete=models.PROTECT, related_name="drafts")
    quantity = models.PositiveIntegerField()
    unit_price = models.PositiveBigIntegerField(help_text="The price shown when the buyer commented.")
    phone = models.CharField(max_length=16)
    name = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1, quantity__lte=999), name="live_draft_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.product.code} x{self.quantity}"
