"""Users and roles, producers, and the delegations that let helpers act for producers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    BUYER = "buyer", "Người mua"
    PRODUCER = "producer", "Nhà sản xuất"
    HELPER = "helper", "Tổ công nghệ số cộng đồng"
    OFFICER = "officer", "Cán bộ Sở Công Thương"
    OPERATOR = "operator", "Vận hành sàn"


class User(AbstractUser):
    """A person. Buyers and producers sign in by phone + one-time code; staff also have a password."""

    phone = models.CharField(max_length=16, unique=True, null=True, blank=True, help_text="E.164, ví dụ +84912345678")
    full_name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.BUYER)
    officer_province = models.ForeignKey(
        "regions.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        help_text="Officers see and act only within this province.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="officer") | Q(officer_province__isnull=False), name="officer_has_province"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.phone or self.username


class Producer(models.Model):
    """A household, cooperative (HTX) or small enterprise that sells through the hub."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", "Hộ sản xuất"
        COOPERATIVE = "cooperative", "Hợp tác xã"
        ENTERPRISE = "enterprise", "Doanh nghiệp"

    owner = models.OneToOneField(User, on_delete=models.PROTECT, related_name="producer")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.HOUSEHOLD)
    name = models.CharField(max_length=120)
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="producers")
    commune = models.ForeignKey("regions.Commune", on_delete=models.PROTECT, related_name="producers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "nhà sản xuất"
        verbose_name_plural = "nhà sản xuất"

    def __str__(self) -> str:
        return self.name


class Delegation(models.Model):
    """A producer's consent for a helper (or a cooperative's user) to manage their shop. Revocable."""

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="delegations")
    delegate = models.ForeignKey(User, on_delete=models.CASCADE, related_name="delegations_received")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "delegate"], condition=Q(revoked_at__isnull=True), name="one_active_delegation"
            ),
        ]
        verbose_name = "ủy quyền"
        verbose_name_plural = "ủy quyền"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __str__(self) -> str:
        return f"{self.producer} → {self.delegate}"


class OneTimeCode(models.Model):
    """A sign-in code sent to a phone. Only its hash is stored."""

    phone = models.CharField(max_length=16, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)


class SignInEvent(models.Model):
    """A code sent or a wrong code typed, with the client's network: the windowed counts behind the
    per-address and hub-wide sign-in limits (accounts/otp.py). Shared by every server process because it is
    in the database; rows older than a day are pruned as new ones arrive."""

    class Kind(models.TextChoices):
        CODE_SENT = "sent", "Mã đã gửi"
        WRONG_CODE = "wrong", "Mã sai"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    network = models.CharField(max_length=64, help_text="IPv4 address or IPv6 /64 of the client")
    phone = models.CharField(max_length=16)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "created_at"], name="signin_event_kind_time"),
            models.Index(fields=["kind", "network", "created_at"], name="signin_event_net_time"),
        ]


class SavedAddress(models.Model):
    """A delivery address a buyer keeps for the next checkout (at most accounts.addresses.MAX_ADDRESSES each).

    Only the commune is stored: since 2025 it determines the province (two-level units), so the two cannot
    disagree. One address per buyer may be the default one the checkout starts with.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_addresses")
    label = models.CharField(max_length=40, blank=True, help_text="Nhà, Cơ quan, Nhà bố mẹ…")
    name = models.CharField(max_length=120, help_text="Người nhận")
    phone = models.CharField(max_length=16, help_text="E.164")
    commune = models.ForeignKey("regions.Commune", on_delete=models.PROTECT, related_name="+")
    street = models.CharField(max_length=200, help_text="Số nhà, thôn/bản, đường")
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="saved_address_one_default_per_user"
            ),
        ]
        verbose_name = "địa chỉ đã lưu"
        verbose_name_plural = "địa chỉ đã lưu"

    def __str__(self) -> str:
        return f"{self.name}, {self.street}, {self.commune.name}"


class SellerIdentity(models.Model):
    """Who legally sells in a shop: legal name, identity number and address (Decree 52/2013/NĐ-CP art. 36 as amended
    by Decree 85/2021/NĐ-CP: the platform collects sellers' information; Decrees 91/2022/NĐ-CP and 117/2025/NĐ-CP:
    it reports sellers to the tax authority). Payouts wait until it is recorded.

    The number is never stored in clear: AES-GCM ciphertext (accounts/identity_crypto.py), a keyed HMAC digest
    for finding duplicates, and the last four digits for masked display."""

    class IdKind(models.TextChoices):
        CITIZEN_ID = "citizen_id", "Số định danh cá nhân (CCCD, 12 số)"
        PERSONAL_TAX = "personal_tax", "Mã số thuế cá nhân (10 số)"
        BUSINESS_TAX = "business_tax", "Mã số thuế doanh nghiệp/HTX"

    producer = models.OneToOneField(Producer, on_delete=models.CASCADE, related_name="identity")
    legal_name = models.CharField(max_length=120, help_text="Họ tên trên CCCD hoặc tên trên đăng ký kinh doanh")
    id_kind = models.CharField(max_length=16, choices=IdKind.choices)
    number_encrypted = models.BinaryField(help_text="nonce (12 bytes) + AES-GCM ciphertext of the number")
    number_digest = models.CharField(max_length=64, unique=True, help_text="HMAC-SHA256 of the number (hex)")
    number_last4 = models.CharField(max_length=4)
    street = models.CharField(max_length=200, help_text="Số nhà, thôn/bản")
    commune = models.ForeignKey("regions.Commune", on_delete=models.PROTECT, related_name="+")
    synthetic = models.BooleanField(default=False, help_text="Demo data: a made-up number that passes the checks")
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "danh tính người bán"
        verbose_name_plural = "danh tính người bán"

    def __str__(self) -> str:
        return f"{self.legal_name} (•••• {self.number_last4})"
