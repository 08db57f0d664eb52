"""Where parcels leave from, each carrier's own area codes, and the shipments booked with carriers and their events.

The hub keeps the 2025 two-level address as the record; `SenderAddress` remembers what a carrier still needs and
the sender told us once (the pre-2025 district of a commune that spans several, a GPS pin for the pickup run), and
`CarrierAreaCode` maps the pre-2025 units to a carrier's own ids (GHN numbers its districts itself).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class ShipmentStatus(models.TextChoices):
    """The values of carriers.base.TrackingStatus (tested equal), with the words buyers and sellers read.

    Not imported from carriers: that package imports the rate selectors, which import these models."""

    CREATED = "created", "Đã tạo vận đơn"
    PICKED_UP = "picked_up", "Đã lấy hàng"
    IN_TRANSIT = "in_transit", "Đang vận chuyển"
    AT_POST_OFFICE = "at_post_office", "Đã đến bưu điện"
    OUT_FOR_DELIVERY = "out_for_delivery", "Đang giao hàng"
    DELIVERED = "delivered", "Đã giao"
    FAILED = "failed", "Giao không thành công"
    RETURNED = "returned", "Đã hoàn về người gửi"
    CANCELLED = "cancelled", "Đã huỷ"


class SenderAddress(models.Model):
    """A shop's dispatch address as the carriers need it, asked once and remembered (docs/logistics.md)."""

    shop = models.OneToOneField("catalog.Shop", on_delete=models.CASCADE, related_name="sender_address")
    street = models.CharField("số nhà, thôn/bản", max_length=200, blank=True)
    legacy_district_code = models.CharField(
        "quận/huyện cũ (mã GSO)",
        max_length=3,
        blank=True,
        help_text="Chỉ cần khi xã/phường mới gồm phần của nhiều huyện cũ; người gửi chọn một lần.",
    )
    latitude = models.DecimalField(
        "vĩ độ",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "kinh độ",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "địa chỉ gửi hàng"
        verbose_name_plural = "địa chỉ gửi hàng"
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="sender_pin_both_or_neither",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shop_id}: {self.street}"


class CarrierAreaCode(models.Model):
    """One pre-2025 ward (GSO codes) as a carrier names it: GHN's DistrictID/WardCode, Vietnam Post's codes.

    Filled from the carrier's master-data API (`taybac logistics sync-areas`) or a file; carriers that address
    by names (GHTK) need no row."""

    carrier = models.CharField(max_length=20)
    legacy_district_code = models.CharField("mã huyện cũ (GSO)", max_length=3)
    legacy_ward_code = models.CharField("mã xã cũ (GSO)", max_length=5, blank=True)
    carrier_province = models.CharField(max_length=20, blank=True)
    carrier_district = models.CharField(max_length=20)
    carrier_ward = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=200, blank=True, help_text="The carrier's own name for the unit.")
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "mã địa bàn của hãng vận chuyển"
        verbose_name_plural = "mã địa bàn của hãng vận chuyển"
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "legacy_district_code", "legacy_ward_code"], name="one_code_per_carrier_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.legacy_district_code}/{self.legacy_ward_code}"


class Shipment(models.Model):
    """A parcel booked with a carrier for one shop order. At most one live (not cancelled) shipment per order."""

    class Via(models.TextChoices):
        SELLER = "seller", "Người bán tạo"
        POST_OFFICE = "post_office", "Bưu điện nhận gửi"
        OPERATOR = "operator", "Quản trị viên"

    shop_order = models.ForeignKey("orders.ShopOrder", on_delete=models.PROTECT, related_name="shipments")
    carrier = models.CharField(max_length=20)
    service = models.CharField(max_length=40)
    tracking_code = models.CharField(max_length=40)
    sort_code = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices)
    fee = models.PositiveBigIntegerField(help_text="What the carrier charges, đồng.")
    cod_amount = models.PositiveBigIntegerField(default=0, help_text="Cash the carrier collects from the buyer.")
    weight_g = models.PositiveIntegerField()
    via = models.CharField(max_length=12, choices=Via.choices)
    origin_point = models.ForeignKey(
        "regions.PickupPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The commune post office the parcel was dropped at (hub network; consolidation groups by it).",
    )
    expected_delivery = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "vận đơn"
        verbose_name_plural = "vận đơn"
        constraints = [
            models.UniqueConstraint(fields=["carrier", "tracking_code"], name="one_shipment_per_tracking_code"),
            models.UniqueConstraint(
                fields=["shop_order"], condition=~Q(status="cancelled"), name="one_live_shipment_per_shop_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "origin_point"])]

    def __str__(self) -> str:
        return f"{self.carrier}:{self.tracking_code}"


class ShipmentEvent(models.Model):
    """One status change of a shipment, from a carrier's webhook or tracking answer or a post office's record.

    `key` makes a repeated delivery of the same event (carriers retry webhooks) a no-op."""

    class Source(models.TextChoices):
        WEBHOOK = "webhook", "Webhook của hãng"
        POLL = "poll", "Tra cứu hành trình"
        POST_OFFICE = "post_office", "Bưu điện ghi nhận"
        SELLER = "seller", "Người bán"

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices)
    at = models.DateTimeField()
    carrier_status = models.CharField(max_length=60, blank=True)
    description = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    key = models.CharField(max_length=120)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "sự kiện vận chuyển"
        verbose_name_plural = "sự kiện vận chuyển"
        constraints = [models.UniqueConstraint(fields=["shipment", "key"], name="one_event_per_key")]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status} {self.at:%Y-%m-%d %H:%M}"
