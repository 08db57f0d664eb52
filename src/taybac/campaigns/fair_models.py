"""Online fairs (docs/selling-events.md, "Online fairs"): an operator or a province's officers run a fair for some
provinces and dates; producers apply and get a booth of their products at fair-only prices; live sessions are
scheduled in it; visits, orders and revenue are counted per booth and for the fair.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Fair(models.Model):
    """A hội chợ trực tuyến. Shown to buyers once published, open between `starts_at` and `ends_at`."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=160)
    theme = models.TextField(blank=True, help_text="What the fair is about, shown on its page.")
    provinces = models.ManyToManyField("regions.Province", related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    applications_close_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="fair_ends_after_start")]
        verbose_name = "hội chợ trực tuyến"
        verbose_name_plural = "hội chợ trực tuyến"

    def __str__(self) -> str:
        return self.title


class FairBooth(models.Model):
    """A producer's booth: applied for, then approved or refused by the fair's organisers."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Chờ duyệt"
        APPROVED = "approved", "Đã duyệt"
        REJECTED = "rejected", "Không duyệt"
        WITHDRAWN = "withdrawn", "Đã rút"

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="booths")
    shop = models.ForeignKey("catalog.Shop", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLIED)
    pitch = models.CharField(max_length=300, blank=True, help_text="A line from the producer to the organisers.")
    reason = models.CharField(max_length=300, blank=True, help_text="Why the organisers refused, shown to them.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fair", "id"]
        constraints = [models.UniqueConstraint(fields=["fair", "shop"], name="fair_one_booth_per_shop")]
        verbose_name = "gian hàng hội chợ"
        verbose_name_plural = "gian hàng hội chợ"

    def __str__(self) -> str:
        return f"{self.fair} · {self.shop}"


class BoothProduct(models.Model):
    """A variant in a booth at its fair-only price (integer đồng, never above the variant's own price)."""

    booth = models.ForeignKey(FairBooth, on_delete=models.CASCADE, related_name="products")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    fair_price = models.PositiveBigIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["booth", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["booth", "variant"], name="booth_variant_once"),
            models.CheckConstraint(condition=Q(fair_price__gte=1), name="booth_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.booth} · {self.variant_id}"


class FairLiveSession(models.Model):
    """A live session on the fair's schedule (a booth's producer streaming during the fair)."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="live_sessions")
    booth = models.ForeignKey(FairBooth, on_delete=models.CASCADE, related_name="live_sessions")
    session = models.OneToOneField("campaigns.LiveSession", on_delete=models.CASCADE, related_name="fair_slot")

    class Meta:
        ordering = ["session__scheduled_start", "id"]

    def __str__(self) -> str:
        return f"{self.fair} · {self.session}"


class FairOrder(models.Model):
    """A shop order placed from a booth at fair prices: the fair's and the booth's order and revenue figures."""

    booth = models.ForeignKey(FairBooth, on_delete=models.PROTECT, related_name="orders")
    shop_order = models.OneToOneField("orders.ShopOrder", on_delete=models.PROTECT, related_name="+")
    revenue = models.PositiveBigIntegerField(help_text="Goods total of the shop order, integer đồng.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
