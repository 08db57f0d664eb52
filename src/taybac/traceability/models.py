"""Lots, their EPCIS events, and the append-only Merkle log those events are leaves of.

A `TraceEvent` keeps the exact bytes that were hashed into the log (RFC 8785 canonical JSON), not a parsed
copy: the log proves those bytes, and anyone can re-hash them. `LogNode` stores the roots of perfect
subtrees so proofs need O(log n) rows, never the whole tree. Checkpoints are signed with a key kept
outside the database (see services.signer), so editing rows here cannot forge a checkpoint.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from taybac.catalog.models import WebpPhoto


class Lot(models.Model):
    """A lot (lô hàng) of one variant: what one harvest or one processing run produced."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="lots")
    shop = models.ForeignKey("catalog.Shop", on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(max_length=20, help_text="GS1 AI (10) batch/lot number: A–Z, 0–9 and '-'.")
    harvested_on = models.DateField(help_text="Harvest date, or production date for a processed lot.")
    quantity = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, help_text="Ví dụ: kg, hũ, gói")
    commune = models.ForeignKey("regions.Commune", on_delete=models.PROTECT, related_name="lots")
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    practices = models.TextField(blank=True, help_text="Cách canh tác, chế biến (ví dụ: không phun thuốc).")
    certificates = models.JSONField(default=list, blank=True, help_text="Chứng nhận: VietGAP, hữu cơ, …")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-harvested_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "code"], name="lot_code_unique_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="lot_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.variant.gtin}/{self.code}"

    def get_absolute_url(self) -> str:
        """The GS1 Digital Link path: the lot's QR code encodes PUBLIC_URL + this."""
        return f"/01/{self.variant.gtin}/10/{self.code}"


class LotPhoto(WebpPhoto):
    """A photo of the field, the harvest or the processing, resized like product photos."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="photos")

    class Meta(WebpPhoto.Meta):
        pass


class OrderLineLot(models.Model):
    """The lot an order line was shipped from, chosen by the seller at shipping (traceability.order_lots).

    Kept here rather than on the order line: traceability sits above orders, and orders knows nothing of lots.
    """

    line = models.OneToOneField("orders.OrderLine", on_delete=models.CASCADE, primary_key=True, related_name="lot_link")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="order_line_links")

    class Meta:
        verbose_name = "lô của dòng hàng"
        verbose_name_plural = "lô của dòng hàng"


class Location(models.Model):
    """A GS1 GLN for a place events happen: a producer's shop or a pickup point (commune post office)."""

    gln = models.CharField(max_length=13, unique=True)
    name = models.CharField(max_length=160)
    shop = models.OneToOneField(
        "catalog.Shop", null=True, blank=True, on_delete=models.PROTECT, related_name="location"
    )
    pickup_point = models.OneToOneField(
        "regions.PickupPoint", null=True, blank=True, on_delete=models.PROTECT, related_name="location"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(shop__isnull=False, pickup_point__isnull=True)
                | Q(shop__isnull=True, pickup_point__isnull=False),
                name="location_is_one_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.gln})"

    @property
    def uri(self) -> str:
        """GS1 Digital Link form of the GLN (AI 414), as EPCIS 2.0 recommends."""
        return f"https://id.gs1.org/414/{self.gln}"


class KeySequence(models.Model):
    """Next GLN location reference or SSCC serial under a GS1 company prefix (a locked row, no reuse)."""

    class Kind(models.TextChoices):
        GLN = "gln", "GLN"
        SSCC = "sscc", "SSCC"

    company_prefix = models.CharField(max_length=12)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    next_reference = models.PositiveBigIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company_prefix", "kind"], name="key_sequence_unique")]


class CaptureKey(models.Model):
    """A partner system's key for POST /api/v1/epcis/capture (`Authorization: Bearer tbk_<lookup>_<secret>`).

    Only the SHA-256 of the whole token is kept: the secret is 256 random bits, so a fast hash is enough (nothing
    to brute-force) and the database never holds a usable key. A key captures only for its producers' lots,
    products, places and cartons (see capture_scope); `all_producers` is an operator's explicit choice.
    """

    name = models.CharField(max_length=120, help_text="Tên đối tác, hiện trên trang truy xuất: “Đối tác …”.")
    lookup = models.CharField(max_length=16, unique=True, help_text="Public part of the token, to find the key.")
    key_hash = models.CharField(max_length=64, help_text="Hex SHA-256 of the whole token.")
    producers = models.ManyToManyField(
        "accounts.Producer",
        blank=True,
        related_name="capture_keys",
        help_text="Nhà sản xuất mà đối tác được ghi sự kiện thay.",
    )
    all_producers = models.BooleanField(
        default=False, help_text="Không giới hạn nhà sản xuất (chỉ cho hệ thống của chính sàn)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "khoá EPCIS capture"
        verbose_name_plural = "khoá EPCIS capture"

    def __str__(self) -> str:
        return f"{self.name} (tbk_{self.lookup})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class TraceEvent(models.Model):
    """One EPCIS 2.0 event and leaf `leaf_index` of the log. The other columns index `canonical` for queries."""

    class Source(models.TextChoices):
        HUB = "hub", "Ghi trên sàn"
        CAPTURE = "capture", "Nhận qua EPCIS capture"

    leaf_index = models.PositiveBigIntegerField(unique=True)
    canonical = models.TextField(help_text="RFC 8785 canonical JSON of the event: the leaf's exact bytes (UTF-8).")
    event_id = models.CharField(
        max_length=300,
        db_index=True,
        help_text="Unique, except that an error declaration repeats the eventID of the event it declares erroneous.",
    )
    event_type = models.CharField(max_length=30)
    event_time = models.DateTimeField()
    record_time = models.DateTimeField()
    biz_step = models.CharField(max_length=300, blank=True, help_text="CBV short name or the URI as sent.")
    disposition = models.CharField(max_length=300, blank=True)
    biz_location = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    request_key = models.CharField(
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        help_text="`<key>#<n>`: the n-th event recorded by the request or form with this "
        "idempotency key, so a repeated request finds them instead of logging "
        "them twice (the log cannot take a duplicate back).",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        "accounts.Producer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The producer the event was recorded for (by its owner, a helper, or a partner's key).",
    )
    capture_key = models.ForeignKey(
        CaptureKey,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="The partner key that captured the event.",
    )
    pickup_point = models.ForeignKey(
        "regions.PickupPoint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The post office whose staff recorded the event.",
    )
    declares = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declaration",
        help_text="For an EPCIS error declaration: the earlier event with the same eventID that it declares "
        "erroneous (one declaration per event). Derived from the log: `taybac trace verify` recomputes it.",
    )
    lots: models.ManyToManyField[Lot, EventLot] = models.ManyToManyField(Lot, through="EventLot", related_name="events")

    class Meta:
        ordering = ["leaf_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_id"], condition=Q(declares__isnull=True), name="event_id_unique_unless_declaration"
            ),
        ]
        indexes = [
            models.Index(fields=["event_time"]),
            models.Index(fields=["biz_step", "event_time"]),
            models.Index(fields=["biz_location"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.leaf_index}"

    @property
    def document(self) -> dict[str, Any]:
        return json.loads(self.canonical)


class EventLot(models.Model):
    """Which of our lots an event is about, and how (a transformation has inputs and outputs)."""

    class Role(models.TextChoices):
        OBJECT = "object", "Lô hàng"
        INPUT = "input", "Nguyên liệu đầu vào"
        OUTPUT = "output", "Sản phẩm đầu ra"

    event = models.ForeignKey(TraceEvent, on_delete=models.CASCADE, related_name="lot_links")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="event_links")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "lot", "role"], name="event_lot_role_unique")]


class EventIdentifier(models.Model):
    """Every EPC or EPC class an event names, so MATCH_epc / MATCH_anyEPC / MATCH_epcClass are index lookups."""

    event = models.ForeignKey(TraceEvent, on_delete=models.CASCADE, related_name="identifiers")
    field = models.CharField(max_length=30, help_text="epcList, parentID, childEPCs, inputEPCList, quantityList, …")
    value = models.CharField(max_length=300, db_index=True)


class LogHead(models.Model):
    """The single row holding the log's size; locked by every append so appends are serial."""

    size = models.PositiveBigIntegerField(default=0)


class LogNode(models.Model):
    """Root hash of the perfect subtree covering leaves [index·2^level, (index+1)·2^level)."""

    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="log_node_unique")]


class Checkpoint(models.Model):
    """A signed checkpoint (C2SP tlog-checkpoint note) for the tree of `size` leaves."""

    size = models.PositiveBigIntegerField(unique=True)
    root_hash = models.BinaryField(max_length=32)
    note = models.TextField(help_text="The signed note exactly as served at /log/checkpoint.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-size"]
