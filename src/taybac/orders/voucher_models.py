"""Vouchers (mã giảm giá) and their redemptions; the rules live in orders/vouchers.py.

A voucher is funded by one shop (it lowers that shop's order only) or by the hub (split across the checkout's shop
orders and owed to each shop by the hub). `used` counts live redemptions so a conditional UPDATE can refuse the
one past the total limit; a released redemption gives its use back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper


class Voucher(models.Model):
    class Kind(models.TextChoices):
        FIXED = "fixed", "Giảm số tiền cố định"
        PERCENT = "percent", "Giảm theo phần trăm"

    class FundedBy(models.TextChoices):
        SHOP = "shop", "Gian hàng"
        HUB = "hub", "Sàn"

    code = models.CharField(max_length=20, help_text="Upper case A–Z, 0–9 and '-'; unique whatever the case.")
    label = models.CharField(max_length=120, blank=True, help_text="Free text, e.g. the fair it is for.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.PositiveBigIntegerField(help_text="Đồng for a fixed voucher, a percent (1–90) otherwise.")
    max_discount = models.PositiveBigIntegerField(null=True, blank=True, help_text="The cap of a percent voucher.")
    funded_by = models.CharField(max_length=4, choices=FundedBy.choices)
    shop = models.ForeignKey("catalog.Shop", null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers")
    min_subtotal = models.PositiveBigIntegerField(default=0, help_text="Goods (đồng) the voucher applies to, at least.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    total_limit = models.PositiveIntegerField()
    per_buyer_limit = models.PositiveIntegerField(default=1)
    used = models.PositiveIntegerField(default=0, help_text="Live (not released) redemptions.")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Upper("code"), name="voucher_code_unique_any_case"),
            models.CheckConstraint(
                condition=Q(funded_by="shop", shop__isnull=False) | Q(funded_by="hub", shop__isnull=True),
                name="voucher_shop_iff_shop_funded",
            ),
            models.CheckConstraint(condition=Q(used__lte=models.F("total_limit")), name="voucher_used_within_limit"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="voucher_ends_after_start"),
        ]
        verbose_name = "mã giảm giá"
        verbose_name_plural = "mã giảm giá"

    def __str__(self) -> str:
        return self.code


class VoucherRedemption(models.Model):
    """One voucher used on one checkout. The split per shop order is on the shop orders (ShopOrder.discount)."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="voucher_redemption")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_phone = models.CharField(max_length=16, help_text="E.164")
    amount = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(
        null=True, blank=True, help_text="Every shop order was cancelled unpaid: the buyer may use the code again."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["voucher", "buyer_phone"], name="voucher_redemption_phone"),
            models.Index(fields=["voucher", "buyer"], name="voucher_redemption_buyer"),
        ]
        verbose_name = "lượt dùng mã giảm giá"
        verbose_name_plural = "lượt dùng mã giảm giá"
