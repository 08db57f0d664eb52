"""The hub network's operator-editable rate tables and its list of remote communes (docs/logistics.md)."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from taybac.regions.models import Commune


class Zone(models.TextChoices):
    """How far a parcel goes, from the sender's commune to the buyer's (2025 units)."""

    SAME_COMMUNE = "same_commune", "Cùng xã/phường"
    SAME_PROVINCE = "same_province", "Cùng tỉnh"
    REGION = "region", "Trong vùng (trung du và miền núi phía Bắc)"
    NATIONWIDE = "nationwide", "Toàn quốc"


class RateTable(models.Model):
    """One price list of the hub's own network. Exactly one is active; checkout prices with the active one."""

    name = models.CharField("tên bảng giá", max_length=80)
    is_active = models.BooleanField("đang dùng", default=False)
    cod_percent_bp = models.PositiveIntegerField(
        "phí thu hộ (phần vạn)",
        default=0,
        validators=[MaxValueValidator(10_000)],
        help_text="100 = 1 % số tiền thu hộ; làm tròn lên đến đồng.",
    )
    cod_min_fee = models.PositiveIntegerField("phí thu hộ tối thiểu (đ)", default=0)
    insurance_free_value = models.PositiveIntegerField(
        "giá trị khai báo miễn phí bảo hiểm (đ)",
        default=0,
        help_text="Không tính phí bảo hiểm khi giá trị khai báo không vượt quá mức này.",
    )
    insurance_percent_bp = models.PositiveIntegerField(
        "phí bảo hiểm (phần vạn)",
        default=0,
        validators=[MaxValueValidator(10_000)],
        help_text="Tính trên toàn bộ giá trị khai báo, khi vượt mức miễn phí.",
    )
    remote_surcharge = models.PositiveIntegerField("phụ phí xã vùng sâu (đ)", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bảng giá vận chuyển"
        verbose_name_plural = "bảng giá vận chuyển"
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_rate_table"),
            models.CheckConstraint(condition=Q(cod_percent_bp__lte=10_000), name="cod_percent_at_most_100"),
            models.CheckConstraint(condition=Q(insurance_percent_bp__lte=10_000), name="insurance_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """Not "one active table" here: activating a table retires the previous one when it is saved."""
        super().validate_constraints(exclude={*(exclude or ()), "is_active"})

    def clean(self) -> None:
        """The hub always has a price list: switching is done by activating another table, never by switching
        the active one off (the admin then deactivates the previous one in the same transaction)."""
        if self.pk and not self.is_active and RateTable.objects.filter(pk=self.pk, is_active=True).exists():
            raise ValidationError("Không thể tắt bảng giá đang dùng: hãy bật một bảng giá khác để thay thế.")


class ZoneEta(models.Model):
    """Promised delivery days for a zone of a table."""

    table = models.ForeignKey(RateTable, on_delete=models.CASCADE, related_name="etas")
    zone = models.CharField("vùng", max_length=20, choices=Zone.choices)
    days_min = models.PositiveSmallIntegerField("số ngày ít nhất")
    days_max = models.PositiveSmallIntegerField("số ngày nhiều nhất")

    class Meta:
        verbose_name = "thời gian giao"
        verbose_name_plural = "thời gian giao"
        constraints = [
            models.UniqueConstraint(fields=["table", "zone"], name="one_eta_per_zone"),
            models.CheckConstraint(condition=Q(days_min__lte=models.F("days_max")), name="eta_min_le_max"),
        ]

    def clean(self) -> None:
        if self.days_min is not None and self.days_max is not None and self.days_min > self.days_max:
            raise ValidationError("Số ngày ít nhất không được lớn hơn số ngày nhiều nhất.")


class WeightBand(models.Model):
    """Weights in (from_g, to_g] of a zone: `base_fee`, plus `step_fee` per started `step_g` above `from_g`.

    `to_g` empty means no upper limit. The bands of a zone must cover every weight from 1 g without overlap and
    never get cheaper as the parcel gets heavier (checked by logistics.rates.band_problems, used by the admin).
    """

    table = models.ForeignKey(RateTable, on_delete=models.CASCADE, related_name="bands")
    zone = models.CharField("vùng", max_length=20, choices=Zone.choices)
    from_g = models.PositiveIntegerField("trên (g)", default=0)
    to_g = models.PositiveIntegerField("đến (g)", null=True, blank=True)
    base_fee = models.PositiveIntegerField("giá cơ bản (đ)")
    step_g = models.PositiveIntegerField("mỗi bước (g)", default=500)
    step_fee = models.PositiveIntegerField("giá mỗi bước (đ)", default=0)

    class Meta:
        ordering = ["table", "zone", "from_g"]
        verbose_name = "khung khối lượng"
        verbose_name_plural = "khung khối lượng"
        constraints = [
            models.UniqueConstraint(fields=["table", "zone", "from_g"], name="one_band_per_start"),
            models.CheckConstraint(condition=Q(step_g__gt=0), name="band_step_positive"),
            models.CheckConstraint(
                condition=Q(to_g__isnull=True) | Q(to_g__gt=models.F("from_g")), name="band_to_above_from"
            ),
        ]

    def __str__(self) -> str:
        upper = f"{self.to_g} g" if self.to_g is not None else "∞"
        return f"{self.get_zone_display()}: {self.from_g}–{upper}"


class RemoteCommune(models.Model):
    """A commune the hub's network charges the remote surcharge for, keyed by its 2025 commune code.

    Not a foreign key: communes are loaded after migrations (post_migrate, catalog/apps.py), and regions is another
    app's model; a code that is not (yet) a loaded commune simply never matches.
    """

    commune_code = models.PositiveIntegerField("mã xã (2025)", primary_key=True)
    name = models.CharField("tên", max_length=120)
    note = models.CharField("ghi chú", max_length=200, blank=True)

    class Meta:
        ordering = ["commune_code"]
        verbose_name = "xã vùng sâu"
        verbose_name_plural = "xã vùng sâu"

    def __str__(self) -> str:
        return f"{self.name} ({self.commune_code})"

    def clean(self) -> None:
        """An operator adds a commune that exists (the seeded codes were checked against the same data)."""
        if self.commune_code is not None and not Commune.objects.filter(pk=self.commune_code).exists():
            raise ValidationError({"commune_code": "Không có xã/phường với mã này (mã 2025)."})


from taybac.logistics.models_planning import (  # noqa: E402  (Django finds models through this module)
    Consignment,
    ConsolidationRun,
    PickupRun,
    PickupStop,
    PlannedParcel,
)
from taybac.logistics.models_shipping import (  # noqa: E402
    CarrierAreaCode,
    SenderAddress,
    Shipment,
    ShipmentEvent,
    ShipmentStatus,
)

__all__ = [
    "CarrierAreaCode",
    "Consignment",
    "ConsolidationRun",
    "PickupRun",
    "PickupStop",
    "PlannedParcel",
    "RateTable",
    "RemoteCommune",
    "SenderAddress",
    "Shipment",
    "ShipmentEvent",
    "ShipmentStatus",
    "WeightBand",
    "Zone",
    "ZoneEta",
]
