"""Harvest sales windows (docs/selling-events.md, "Harvest sales windows"): a producer opens pre-orders for one
crop at a set price up to a quota; at harvest the producer confirms what came in, and each pre-order is filled,
or, when the harvest falls short, refunded or offered a substitute.

`reserved` only grows by one guarded update (`reserved + q <= quota`), so concurrent pre-orders never exceed the
quota; the check constraint is the database's own guard. Prices and deposits are integer đồng.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q


class SalesWindow(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Đang nhận đặt trước"
        CLOSED = "closed", "Đã đóng"
        HARVESTED = "harvested", "Đã thu hoạch"
        CANCELLED = "cancelled", "Đã huỷ"

    class Payment(models.TextChoices):
        DEPOSIT = "deposit", "Đặt cọc"
        FULL = "full", "Trả đủ khi đặt"

    shop = models.ForeignKey("catalog.Shop", on_delete=models.PROTECT, related_name="sales_windows")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    quota = models.PositiveIntegerField(help_text="Units offered for pre-order.")
    reserved = models.PositiveIntegerField(default=0, help_text="Units pre-ordered so far.")
    price = models.PositiveBigIntegerField(help_text="Pre-order unit price, integer đồng.")
    payment = models.CharField(max_length=10, choices=Payment.choices, default=Payment.FULL)
    deposit_percent = models.PositiveSmallIntegerField(default=100, help_text="Share paid when ordering (1–100).")
    delivery_week = models.DateField(help_text="Monday of the week delivery is expected.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    harvested_quantity = models.PositiveIntegerField(null=True, blank=True, help_text="Confirmed at harvest.")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    harvested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["status", "closes_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(reserved__lte=F("quota")), name="window_reserved_within_quota"),
            models.CheckConstraint(condition=Q(quota__gte=1), name="window_quota_positive"),
            models.CheckConstraint(condition=Q(price__gte=1), name="window_price_positive"),
            models.CheckConstraint(
                condition=Q(deposit_percent__gte=1) & Q(deposit_percent__lte=100), name="window_deposit_percent"
            ),
            models.CheckConstraint(
                condition=~Q(payment="full") | Q(deposit_percent=100), name="window_full_payment_is_100_percent"
            ),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="window_closes_after_opening"),
        ]
        verbose_name = "đợt bán theo mùa vụ"
        verbose_name_plural = "đợt bán theo mùa vụ"

    def __str__(self) -> str:
        return self.title


class WindowPreorder(models.Model):
    """One buyer's pre-order in a window: the shop order that carries it and what the harvest gave it."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", "Chờ thu hoạch"
        FILLED = "filled", "Đủ hàng"
        PARTLY = "partly", "Thiếu một phần, đã hoàn phần thiếu"
        REFUNDED = "refunded", "Không có hàng, đã hoàn tiền"
        SUBSTITUTED = "substituted", "Đổi sang sản phẩm khác"
        CANCELLED = "cancelled", "Đã huỷ"

    window = models.ForeignKey(SalesWindow, on_delete=models.PROTECT, related_name="preorders")
    shop_order = models.OneToOneField("orders.ShopOrder", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    filled_quantity = models.PositiveIntegerField(null=True, blank=True)
    deposit = models.PositiveBigIntegerField(default=0, help_text="Due when ordering, integer đồng.")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.WAITING)
    substitute = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="preorder_quantity_positive")]
        verbose_name = "đơn đặt trước"
        verbose_name_plural = "đơn đặt trước"

    def __str__(self) -> str:
        return f"{self.window} · {self.quantity}"
