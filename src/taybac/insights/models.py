"""Stored forecasts, forecast uploads and production warnings (docs/insights.md).

Demand here is units ordered per week (the sum of order line quantities, cancelled orders left out) of a category's
products sold by shops in one province: the goods a province produces, which is what its producers plan for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ForecastRun(models.Model):
    """One refresh of the stored forecasts, by the weekly job or an operator: a run is shown only when done, so a
    failed or half-finished refresh never replaces the forecasts people are reading."""

    class Status(models.TextChoices):
        RUNNING = "running", "đang chạy"
        DONE = "done", "xong"
        FAILED = "failed", "lỗi"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    history_end = models.DateField(help_text="Monday of the last complete week the run learnt from.")
    horizon_weeks = models.PositiveSmallIntegerField()
    series_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "lần dự báo"
        verbose_name_plural = "các lần dự báo"

    def __str__(self) -> str:
        return f"{self.history_end} ({self.get_status_display()})"


class DemandForecast(models.Model):
    """The weekly demand forecast of one series: a category in a province, or one product when it has history
    enough; with the chosen model and its backtest accuracy, shown beside the numbers."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="forecasts")
    category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("regions.Province", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    observations = models.PositiveIntegerField(help_text="Weeks of history the model learnt from.")
    model = models.CharField(max_length=40)
    mase = models.FloatField(null=True, blank=True, help_text="Backtest MASE of the chosen model.")
    baseline = models.CharField(max_length=40)
    baseline_mase = models.FloatField(null=True, blank=True)
    beats_baseline = models.BooleanField(default=False)
    backtest_origins = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "category", "province"],
                condition=Q(product__isnull=True),
                name="insights_forecast_one_per_category_province",
            ),
            models.UniqueConstraint(
                fields=["run", "product"], condition=Q(product__isnull=False), name="insights_forecast_one_per_product"
            ),
        ]
        indexes = [models.Index(fields=["category", "province", "run"])]
        verbose_name = "dự báo nhu cầu"
        verbose_name_plural = "dự báo nhu cầu"

    def __str__(self) -> str:
        return f"{self.product or self.category} · {self.province} ({self.model})"


class ForecastWeek(models.Model):
    """One forecast week of a series: units expected in the week starting on `week_start` (a Monday)."""

    forecast = models.ForeignKey(DemandForecast, on_delete=models.CASCADE, related_name="weeks")
    week_start = models.DateField()
    quantity = models.FloatField()

    class Meta:
        ordering = ["week_start"]
        constraints = [models.UniqueConstraint(fields=["forecast", "week_start"], name="insights_forecast_week_once")]

    def __str__(self) -> str:
        return f"{self.week_start}: {self.quantity:.1f}"


class ForecastUpload(models.Model):
    """Someone's own demand file sent through the dashboard's form, forecast by a background job (the same engine
    as `taybac forecast`); the results stay for their owner to download."""

    class Status(models.TextChoices):
        QUEUED = "queued", "đang chờ"
        RUNNING = "running", "đang chạy"
        DONE = "done", "xong"
        FAILED = "failed", "lỗi"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(max_length=200)
    horizon = models.PositiveSmallIntegerField()
    series_count = models.PositiveIntegerField(default=0)
    input_csv = models.TextField(help_text="The uploaded file, kept until the job has read it.")
    forecast_csv = models.TextField(blank=True)
    models_csv = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "tệp dự báo tải lên"
        verbose_name_plural = "tệp dự báo tải lên"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class ProductionWarning(models.Model):
    """An early warning to one shop: its planned supply of a category for a season against forecast demand. Kept
    so the seller centre shows it until the season passes and the SMS goes once per shop, category and season."""

    class Kind(models.TextChoices):
        GLUT = "glut", "nguy cơ thừa hàng"
        SHORTAGE = "shortage", "nguy cơ thiếu hàng"

    shop = models.ForeignKey("catalog.Shop", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("regions.Province", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    season_start = models.DateField(help_text="Monday of the first week of the season compared.")
    season_end = models.DateField(help_text="Sunday of its last week.")
    shop_supply = models.PositiveIntegerField(help_text="Units this shop plans for the season.")
    province_supply = models.PositiveIntegerField(help_text="Units all the province's shops plan for it.")
    forecast_demand = models.PositiveIntegerField(help_text="Units the forecast expects buyers to order.")
    forecast = models.ForeignKey(DemandForecast, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    suggestions = models.JSONField(default=list, help_text="Plain-Vietnamese suggestions, each with its numbers.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the risk went away. The row stays until the season ends, so a risk that comes back in the "
        "same season shows again without a second SMS.",
    )

    class Meta:
        ordering = ["season_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "category", "season_start"], name="insights_warning_once_per_shop_category_season"
            )
        ]
        verbose_name = "cảnh báo sản xuất"
        verbose_name_plural = "cảnh báo sản xuất"

    def __str__(self) -> str:
        return f"{self.shop} · {self.category} · {self.get_kind_display()} ({self.season_start})"
