"""Social sharing with measured results (docs/selling-events.md, "Sharing and campaigns"): a share link names a
page (product, shop, booth, fair, sales window, live session) and a campaign; visits through it are counted per
day and orders placed after such a visit are attributed to it, so a producer sees what each post brought in.

No personal data: a visit is a count per link and day; an attributed order keeps only its shop order and revenue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ShareLink(models.Model):
    class Target(models.TextChoices):
        PRODUCT = "product", "Sản phẩm"
        SHOP = "shop", "Gian hàng"
        FAIR = "fair", "Hội chợ"
        BOOTH = "booth", "Gian hội chợ"
        WINDOW = "window", "Đợt bán mùa vụ"
        LIVE = "live", "Phiên livestream"

    class Channel(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        ZALO = "zalo", "Zalo"
        OTHER = "other", "Khác (sao chép liên kết)"

    code = models.CharField(max_length=16, unique=True, help_text="The `c` parameter of the shared address.")
    shop = models.ForeignKey(
        "catalog.Shop", on_delete=models.CASCADE, null=True, blank=True, related_name="+", help_text="Whose report."
    )
    target = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    path = models.CharField(max_length=300, help_text="The page's address on the hub, without the parameter.")
    campaign = models.CharField(max_length=60, help_text="A name the producer gives the post, e.g. tet-2027.")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.OTHER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "campaign"]), models.Index(fields=["target", "target_id"])]
        verbose_name = "liên kết chia sẻ"
        verbose_name_plural = "liên kết chia sẻ"

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_channel_display()} · {self.path}"


class LinkVisit(models.Model):
    """Visits through one link on one day (a count, not a person)."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="visits")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "day"], name="link_visit_per_day")]


class PageVisit(models.Model):
    """Visits to an event's page on one day, however the visitor came: fairs' and booths' visitor figures."""

    target = models.CharField(max_length=10, choices=ShareLink.Target.choices)
    target_id = models.PositiveBigIntegerField()
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target", "target_id", "day"], name="page_visit_per_day"),
            models.CheckConstraint(condition=Q(target_id__gte=1), name="page_visit_target"),
        ]


class AttributedOrder(models.Model):
    """A shop order placed within the attribution window after a visit through a share link (last link wins)."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="orders")
    shop_order = models.OneToOneField("orders.ShopOrder", on_delete=models.CASCADE, related_name="+")
    revenue = models.PositiveBigIntegerField(help_text="Goods total of the shop order, integer đồng.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
