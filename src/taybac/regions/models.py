"""The 2025 two-level administrative units (34 provinces, 3,321 communes) and addresses."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Province(models.Model):
    """A province or centrally-run city (tỉnh / thành phố trung ương) since 1 July 2025."""

    code = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=80)
    codename = models.CharField(max_length=80, unique=True)
    division_type = models.CharField(max_length=40)
    phone_code = models.PositiveIntegerField(null=True, blank=True)
    name_folded = models.CharField(max_length=80, db_index=True)
    in_region = models.BooleanField(
        default=False, help_text="One of the hub's northern midland and mountain provinces."
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "tỉnh/thành"
        verbose_name_plural = "tỉnh/thành"

    def __str__(self) -> str:
        return self.name

    @property
    def slug(self) -> str:
        """URL form of the codename: 'tuyen_quang' -> 'tuyen-quang'."""
        return self.codename.replace("_", "-")


class ProvinceAlias(models.Model):
    """A pre-2025 province name still in use ("Hà Giang" is now part of Tuyên Quang)."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=80)
    name_folded = models.CharField(max_length=80, unique=True)

    class Meta:
        verbose_name = "tên tỉnh cũ"
        verbose_name_plural = "tên tỉnh cũ"

    def __str__(self) -> str:
        return f"{self.name} → {self.province.name}"


class Commune(models.Model):
    """A commune-level unit: xã, phường or đặc khu (no districts since 2025)."""

    code = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=80)
    codename = models.CharField(max_length=100)
    division_type = models.CharField(max_length=40)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    name_folded = models.CharField(max_length=80, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "xã/phường"
        verbose_name_plural = "xã/phường"

    def __str__(self) -> str:
        return f"{self.name}, {self.province.name}"


class Address(models.Model):
    """Province + commune + street line: the 2025 address shape."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    street = models.CharField(max_length=200, help_text="Số nhà, thôn/bản, đường")

    class Meta:
        verbose_name = "địa chỉ"
        verbose_name_plural = "địa chỉ"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            raise ValidationError({"commune": "Xã/phường không thuộc tỉnh đã chọn."})

    def __str__(self) -> str:
        return f"{self.street}, {self.commune.name}, {self.province.name}"


class PickupPoint(models.Model):
    """A place where buyers collect and producers drop parcels, usually the commune post office."""

    class Kind(models.TextChoices):
        POST_OFFICE = "post_office", "Bưu điện xã"
        COOPERATIVE = "cooperative", "Điểm hợp tác xã"
        SHOP = "shop", "Cửa hàng"

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.POST_OFFICE)
    address = models.OneToOneField(Address, on_delete=models.PROTECT, related_name="pickup_point")
    opening_hours = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    is_active = models.BooleanField(default=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="pickup_points",
        help_text="Nhân viên làm việc tại điểm này (đăng nhập bằng số di động của họ): họ ghi nhận hàng đến "
        "và giao hàng cho người mua tại /buu-dien/.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "điểm nhận hàng"
        verbose_name_plural = "điểm nhận hàng"

    def __str__(self) -> str:
        return self.name
