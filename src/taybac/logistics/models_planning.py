"""Stored plans: the daily consolidation of parcels at commune post offices, and the pickup runs' routes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ConsolidationRun(models.Model):
    """One planner run for one day's parcels (the daily job, or an operator's re-run that replaces it)."""

    day = models.DateField(unique=True)
    rate_table = models.ForeignKey(
        "logistics.RateTable", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parcels = models.PositiveIntegerField(default=0)
    pooled_parcels = models.PositiveIntegerField(default=0)
    consignments = models.PositiveIntegerField(default=0)
    weight_g = models.PositiveBigIntegerField(default=0)
    cost_without = models.PositiveBigIntegerField(default=0)
    cost_with = models.PositiveBigIntegerField(default=0)
    savings = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = "lượt gom hàng"
        verbose_name_plural = "lượt gom hàng"
        constraints = [
            models.CheckConstraint(
                condition=Q(savings=models.F("cost_without") - models.F("cost_with")), name="run_savings_add_up"
            )
        ]


class Consignment(models.Model):
    """Parcels from one post office to one regional hub sent as one carrier movement, then last mile each."""

    run = models.ForeignKey(ConsolidationRun, on_delete=models.CASCADE, related_name="consignment_rows")
    post_office = models.ForeignKey("regions.PickupPoint", on_delete=models.PROTECT, related_name="+")
    origin_province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    hub_province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    parcels = models.PositiveIntegerField()
    weight_g = models.PositiveBigIntegerField()
    line_haul = models.PositiveBigIntegerField()
    last_mile = models.PositiveBigIntegerField()
    cost_without = models.PositiveBigIntegerField()
    cost_with = models.PositiveBigIntegerField()
    savings = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["run", "post_office", "hub_province"]
        verbose_name = "chuyến gom"
        verbose_name_plural = "chuyến gom"
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_with=models.F("line_haul") + models.F("last_mile")), name="consignment_cost_adds_up"
            ),
            models.CheckConstraint(
                condition=Q(savings=models.F("cost_without") - models.F("cost_with")),
                name="consignment_savings_add_up",
            ),
        ]


class PlannedParcel(models.Model):
    """A shipment as the run saw it: in a consignment, or sent alone at its own price."""

    run = models.ForeignKey(ConsolidationRun, on_delete=models.CASCADE, related_name="parcel_rows")
    shipment = models.ForeignKey("logistics.Shipment", on_delete=models.CASCADE, related_name="+")
    consignment = models.ForeignKey(
        Consignment, on_delete=models.CASCADE, null=True, blank=True, related_name="parcel_rows"
    )
    post_office = models.ForeignKey("regions.PickupPoint", on_delete=models.PROTECT, related_name="+")
    origin_province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    dest_province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    weight_g = models.PositiveIntegerField()
    own_price = models.PositiveBigIntegerField(help_text="Sent alone (the rate table), đồng.")

    class Meta:
        verbose_name = "bưu kiện trong lượt gom"
        verbose_name_plural = "bưu kiện trong lượt gom"
        constraints = [models.UniqueConstraint(fields=["run", "shipment"], name="one_row_per_parcel_per_run")]


class PickupRun(models.Model):
    """The day's collection route of a post office's or a cooperative's vehicles (PyVRP, logistics/routing.py)."""

    day = models.DateField()
    post_office = models.ForeignKey(
        "regions.PickupPoint", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cooperative = models.ForeignKey(
        "accounts.Producer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    depot_latitude = models.DecimalField(max_digits=9, decimal_places=6)
    depot_longitude = models.DecimalField(max_digits=9, decimal_places=6)
    vehicles = models.PositiveSmallIntegerField()
    capacity_kg = models.PositiveIntegerField()
    start_min = models.PositiveSmallIntegerField(
        default=450, help_text="When the vehicles leave, minutes after midnight (local time); arrivals count from it."
    )
    max_duration_min = models.PositiveIntegerField(null=True, blank=True)
    distance_m = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = "chuyến lấy hàng"
        verbose_name_plural = "chuyến lấy hàng"
        constraints = [
            models.CheckConstraint(
                condition=Q(post_office__isnull=False, cooperative__isnull=True)
                | Q(post_office__isnull=True, cooperative__isnull=False),
                name="pickup_run_one_owner",
            )
        ]


class PickupStop(models.Model):
    """One producer to collect from, in route order; `source` says whether the place is a GPS pin or the commune's."""

    class Source(models.TextChoices):
        PIN = "pin", "Vị trí GPS người bán đã ghim"
        COMMUNE = "commune", "Toạ độ trung tâm xã"

    run = models.ForeignKey(PickupRun, on_delete=models.CASCADE, related_name="stops")
    vehicle = models.PositiveSmallIntegerField()
    sequence = models.PositiveSmallIntegerField()
    shop = models.ForeignKey("catalog.Shop", on_delete=models.PROTECT, related_name="+")
    parcels = models.PositiveIntegerField()
    demand_g = models.PositiveIntegerField()
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    source = models.CharField(max_length=8, choices=Source.choices)
    arrival_min = models.PositiveIntegerField(null=True, blank=True, help_text="Minutes after the run starts.")
    collected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "vehicle", "sequence"]
        verbose_name = "điểm lấy hàng"
        verbose_name_plural = "điểm lấy hàng"
        constraints = [
            models.UniqueConstraint(fields=["run", "vehicle", "sequence"], name="one_stop_per_place_in_route"),
            models.UniqueConstraint(fields=["run", "shop"], name="one_stop_per_shop_per_run"),
        ]
