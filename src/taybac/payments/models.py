"""Money received and owed: bank transactions as notified, payments per shop order, and the producers' ledger.

The hub collects as the marketplace's agent: buyers transfer to the hub's account (one VietQR per checkout,
the order's code in the memo, split across its shop orders; a shop order's own code still works) or pay the
courier; the ledger says what the hub owes each shop, a credit what it owes a buyer who paid too much.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from taybac.payments.providers.base import MAX_TRANSACTION_ID


class BankTransaction(models.Model):
    """One bank-transfer notification, stored once: a replay of the same provider transaction id is ignored."""

    class Outcome(models.TextChoices):
        MATCHED = "matched", "Khớp đủ"
        PARTIAL = "partial", "Thiếu tiền – cần xem"
        OVERPAID = "overpaid", "Thừa tiền – cần xem"
        LATE = "late", "Đơn đã hủy – cần xem"
        UNMATCHED = "unmatched", "Không tìm thấy đơn – cần xem"
        OUTGOING = "outgoing", "Tiền ra – bỏ qua"
        RESOLVED = "resolved", "Đã xử lý tay"

    provider = models.CharField(max_length=20)
    transaction_id = models.CharField(max_length=MAX_TRANSACTION_ID, help_text="The provider's id, whole.")
    account_number = models.CharField(max_length=32, blank=True)
    amount = models.PositiveBigIntegerField()
    direction = models.CharField(max_length=3)
    memo = models.CharField(max_length=500, blank=True)
    bank = models.CharField(max_length=60, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    raw = models.JSONField(default=dict)
    shop_order = models.ForeignKey(
        "orders.ShopOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="bank_transactions"
    )
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_transactions",
        help_text="Set when the memo carried a checkout's code: the money is split across its shop orders.",
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["provider", "transaction_id"], name="bank_tx_once")]
        verbose_name = "giao dịch ngân hàng"
        verbose_name_plural = "giao dịch ngân hàng"

    def __str__(self) -> str:
        return f"{self.provider}#{self.transaction_id} {self.amount} ₫"


class Payment(models.Model):
    """Money received for a shop order: a matched transfer, or cash the courier collected."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", "Chuyển khoản"
        CASH = "cash", "Tiền mặt khi nhận hàng"

    shop_order = models.ForeignKey("orders.ShopOrder", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=10, choices=Method.choices)
    amount = models.PositiveBigIntegerField()
    bank_transaction = models.ForeignKey(
        BankTransaction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        help_text="One transfer pays one shop order, or (a checkout's code) several: one payment each.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bank_transaction", "shop_order"],
                condition=models.Q(bank_transaction__isnull=False),
                name="payment_once_per_transfer_and_shop_order",
            )
        ]


class LedgerEntry(models.Model):
    """What the hub owes a shop: + when a sale is paid, − for refunds and payouts. Never in the buyer's total."""

    class Kind(models.TextChoices):
        SALE = "sale", "Tiền bán hàng"
        REFUND = "refund", "Hoàn tiền"
        PAYOUT = "payout", "Đã chuyển cho nhà sản xuất"
        TAX = "tax", "Thuế khấu trừ, nộp thay"
        VOUCHER = "voucher", "Mã giảm giá do sàn tài trợ"

    shop = models.ForeignKey("catalog.Shop", on_delete=models.PROTECT, related_name="ledger")
    shop_order = models.ForeignKey(
        "orders.ShopOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.BigIntegerField(help_text="Signed đồng: positive means the hub owes the shop more.")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)
    key = models.CharField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text="Idempotency key of the form or request that wrote a payout.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "bút toán sổ cái"
        verbose_name_plural = "sổ cái gian hàng"


class Refund(models.Model):
    """Money the hub sent back to a buyer (a cancelled or returned order, or an overpayment)."""

    shop_order = models.ForeignKey("orders.ShopOrder", on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=100, help_text="The bank transfer's reference, for the audit.")
    note = models.CharField(max_length=200, blank=True)
    key = models.CharField(max_length=100, unique=True, help_text="Idempotency key: a double submit records once.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=1), name="refund_amount_positive")]
        verbose_name = "hoàn tiền"
        verbose_name_plural = "hoàn tiền"


class Credit(models.Model):
    """Money a buyer transferred for a checkout beyond what its shop orders were owed (or for shop orders
    already cancelled): the hub holds it for the buyer and refunds it. Never in a shop's ledger."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="credits")
    bank_transaction = models.OneToOneField(BankTransaction, on_delete=models.PROTECT, related_name="credit")
    amount = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    refund_reference = models.CharField(
        max_length=100, blank=True, help_text="The refund transfer's reference, once the operator sent it."
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=1), name="credit_amount_positive")]
        verbose_name = "tiền thừa cần hoàn"
        verbose_name_plural = "tiền thừa cần hoàn"

    def __str__(self) -> str:
        return f"{self.amount} ₫ ({self.order_id})"


from taybac.payments.withholding_models import TaxDeclarationFiling, TaxWithholding  # noqa: E402  (registered)

__all__ = ["TaxDeclarationFiling", "TaxWithholding"]
