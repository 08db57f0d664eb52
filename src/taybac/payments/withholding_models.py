"""Tax withheld for household sellers (Decree 117/2025/NĐ-CP) and the record of each month's filed declaration.

Rows are never edited: a cancelled or returned sale gets an offset row (negative amounts, the period of the
cancellation) that points at the row it offsets. The rules live in payments/withholding.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from taybac.catalog.models import TaxKind

PERIOD_FORMAT = "YYYY-MM"


class TaxWithholding(models.Model):
    """VAT and PIT withheld on one shop order's revenue of one kind, or the offset of such a row."""

    shop_order = models.ForeignKey("orders.ShopOrder", on_delete=models.PROTECT, related_name="tax_withholdings")
    shop = models.ForeignKey("catalog.Shop", on_delete=models.PROTECT, related_name="tax_withholdings")
    kind = models.CharField(max_length=12, choices=TaxKind.choices)
    period = models.CharField(max_length=7, help_text="The month (YYYY-MM, Vietnam time) it is declared in.")
    revenue = models.BigIntegerField(help_text="Đồng; negative on an offset row.")
    vat = models.BigIntegerField(help_text="VAT withheld, đồng; negative on an offset row.")
    pit = models.BigIntegerField(help_text="PIT withheld, đồng; negative on an offset row.")
    offsets = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offset_by",
        help_text="The withholding this row cancels (the sale was cancelled or returned).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        # Once per sale is checked under the shop order's row lock (payments/withholding.py): a sale whose revenue
        # changed is offset and withheld again, so (shop order, kind) may have several rows not offsetting others.
        indexes = [models.Index(fields=["period", "shop"], name="withholding_period_shop")]
        verbose_name = "thuế khấu trừ, nộp thay"
        verbose_name_plural = "thuế khấu trừ, nộp thay"

    def __str__(self) -> str:
        return f"{self.period} {self.kind} {self.vat + self.pit} ₫"


class TaxDeclarationFiling(models.Model):
    """An operator's record that a month's declaration was filed with the tax authority (audited)."""

    period = models.CharField(max_length=7, unique=True, help_text="YYYY-MM")
    reference = models.CharField(max_length=100, help_text="The tax portal's receipt number of the filing.")
    filed_at = models.DateTimeField(auto_now_add=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-period"]
        verbose_name = "tờ khai thuế đã nộp"
        verbose_name_plural = "tờ khai thuế đã nộp"

    def __str__(self) -> str:
        return f"{self.period} ({self.reference})"
