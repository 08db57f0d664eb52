"""Orders: one buyer order split into one shop order per shop, each with its own status and payment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class PaymentMethod(models.TextChoices):
    VIETQR = "vietqr", "Chuyển khoản VietQR"
    COD = "cod", "Thanh toán khi nhận hàng"


class Status(models.TextChoices):
    PLACED = "placed", "Đã đặt"
    AWAITING_PAYMENT = "awaiting_payment", "Chờ thanh toán"
    CONFIRMED = "confirmed", "Đã xác nhận"
    PACKED = "packed", "Đã đóng gói"
    SHIPPED = "shipped", "Đang giao"
    DELIVERED = "delivered", "Đã giao"
    COMPLETED = "completed", "Hoàn tất"
    CANCELLED = "cancelled", "Đã hủy"
    RETURNED = "returned", "Trả hàng"


class Order(models.Model):
    """What the buyer placed in one checkout. Money lives on the shop orders; totals here are their sums."""

    code = models.CharField(max_length=10, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    contact_name = models.CharField(max_length=120)
    contact_phone = models.CharField(max_length=16, db_index=True, help_text="E.164")
    contact_email = models.EmailField(blank=True, help_text="Optional: order e-mails go here as well as SMS.")
    delivery_address = models.ForeignKey(
        "regions.Address", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pickup_point = models.ForeignKey(
        "regions.PickupPoint", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    payment_method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    idempotency_scope = models.CharField(
        max_length=80,
        blank=True,
        default="",
        help_text="Whose idempotency key it is: user:<id>, session:<SHA-256 of "
        "the session key> or phone:<E.164> (orders/idempotency.py).",
    )
    idempotency_key = models.CharField(
        max_length=100,
        null=True,
        blank=True,
        help_text="Unique per scope: another caller's key never finds this order.",
    )
    request_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="SHA-256 of the canonical request: the same key with another request is refused.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery_address__isnull=False, pickup_point__isnull=True)
                | Q(delivery_address__isnull=True, pickup_point__isnull=False),
                name="order_delivery_xor_pickup",
            ),
            models.UniqueConstraint(
                fields=["idempotency_scope", "idempotency_key"], name="order_idempotency_key_unique_per_scope"
            ),
            models.CheckConstraint(
                condition=Q(idempotency_key__isnull=True) | ~Q(idempotency_scope=""),
                name="order_idempotency_key_has_scope",
            ),
        ]
        verbose_name = "đơn hàng"
        verbose_name_plural = "đơn hàng"

    def __str__(self) -> str:
        return self.code


class ShopOrder(models.Model):
    """The part of an order one shop fulfils: its own status, shipping line and payment due."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shop_orders")
    shop = models.ForeignKey("catalog.Shop", on_delete=models.PROTECT, related_name="orders")
    code = models.CharField(max_length=10, unique=True, help_text="Payment code for the transfer memo.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLACED)
    items_total = models.PositiveBigIntegerField()
    shipping_fee = models.PositiveBigIntegerField(
        help_text="Everything the buyer pays for delivery: the carrier's fee, surcharges and the COD fee."
    )
    shipping_carrier = models.CharField(
        max_length=20, default="hub", help_text="The carrier the buyer chose (logistics.carriers code)."
    )
    shipping_service = models.CharField(max_length=40, default="standard", help_text="The carrier's service code.")
    shipping_service_name = models.CharField(max_length=120, blank=True)
    shipping_cod_fee = models.PositiveBigIntegerField(
        default=0, help_text="The part of shipping_fee the carrier charges for collecting cash on delivery."
    )
    shipping_eta_days_min = models.PositiveSmallIntegerField(null=True, blank=True)
    shipping_eta_days_max = models.PositiveSmallIntegerField(null=True, blank=True)
    discount = models.PositiveBigIntegerField(
        default=0, help_text="This shop order's part of the checkout's voucher (orders/vouchers.py), off its goods."
    )
    discount_by_hub = models.BooleanField(default=False, help_text="The hub, not the shop, funds the discount.")
    total = models.PositiveBigIntegerField()
    reserved_until = models.DateTimeField(
        null=True, blank=True, help_text="Unpaid transfer orders give their stock back after this."
    )
    arrived_at_pickup = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the parcel reached the buyer's pickup point (post office staff record it); still shipped.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "reserved_until"]),
            # Indicators and forecasts read orders by month and week (taybac.insights).
            models.Index(fields=["created_at"], name="shoporder_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=models.F("items_total") + models.F("shipping_fee") - models.F("discount")),
                name="shop_order_total_is_items_plus_shipping_less_discount",
            ),
            models.CheckConstraint(
                condition=Q(discount__lte=models.F("items_total")), name="shop_order_discount_within_goods"
            ),
        ]
        verbose_name = "đơn của gian hàng"
        verbose_name_plural = "đơn của gian hàng"

    def __str__(self) -> str:
        return self.code


class OrderLine(models.Model):
    shop_order = models.ForeignKey(ShopOrder, on_delete=models.CASCADE, related_name="lines")
    shop = models.ForeignKey("catalog.Shop", on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="order_lines")
    product_name = models.CharField(max_length=120)
    variant_name = models.CharField(max_length=80)
    unit_price = models.PositiveBigIntegerField()
    quantity = models.PositiveIntegerField()
    line_total = models.PositiveBigIntegerField()
    preorder = models.BooleanField(default=False, help_text="Drawn on the next harvest's quota, not on stock.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(line_total=models.F("unit_price") * models.F("quantity")),
                name="order_line_total_is_price_times_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} – {self.variant_name} × {self.quantity}"


class ReturnRequest(models.Model):
    """A buyer asks to send back a delivered shop order and be refunded; the shop accepts or refuses with a reason.

    One request per shop order (orders/returns.py): an accepted one makes the shop order `returned`, and what
    the buyer paid becomes refundable (payments.payouts.refundable) for the hub to send back.
    """

    class State(models.TextChoices):
        REQUESTED = "requested", "Chờ gian hàng trả lời"
        ACCEPTED = "accepted", "Gian hàng đồng ý trả hàng"
        REJECTED = "rejected", "Gian hàng từ chối"

    shop_order = models.OneToOneField(ShopOrder, on_delete=models.CASCADE, related_name="return_request")
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    reason = models.CharField(max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    answer = models.CharField(max_length=300, blank=True, help_text="The shop's reason when it refuses.")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "requested_at"])]
        verbose_name = "yêu cầu trả hàng"
        verbose_name_plural = "yêu cầu trả hàng"

    def __str__(self) -> str:
        return f"{self.shop_order.code}: {self.get_state_display()}"


class LookupFailure(models.Model):
    """A wrong code + phone pair typed in the order look-up (/tra-cuu/), with the client's network: the windowed
    count behind its limit (orders/lookup.py). Rows older than a day are pruned as new ones arrive."""

    network = models.CharField(max_length=64, help_text="IPv4 address or IPv6 /64 of the client")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["network", "created_at"], name="lookup_failure_net_time")]


from taybac.orders.voucher_models import Voucher, VoucherRedemption  # noqa: E402  (registered with the app)

__all__ = ["Voucher", "VoucherRedemption"]
