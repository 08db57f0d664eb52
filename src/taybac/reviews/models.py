"""Reviews by verified buyers: one per delivered order line, with up to three photos, the shop's one reply and
the reports other users file against it. An operator hides a review (it leaves lists and the rating)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from taybac.catalog.models import WebpPhoto

MAX_TEXT_CHARS = 1000
MAX_REPLY_CHARS = 1000
MAX_REPORT_NOTE_CHARS = 200


class Review(models.Model):
    """What a buyer thought of a product they received. Tied to the order line that proves the purchase."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
    order_line = models.OneToOneField("orders.OrderLine", on_delete=models.PROTECT, related_name="review")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    author_name = models.CharField(max_length=60, help_text="Shown name, shortened at writing (never the phone).")
    variant_name = models.CharField(max_length=80, blank=True, help_text="What was bought, e.g. 'Hũ 500 g'.")
    stars = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True, max_length=MAX_TEXT_CHARS)
    is_hidden = models.BooleanField(default=False, help_text="Hidden by an operator: out of lists and the rating.")
    hidden_reason = models.CharField(max_length=200, blank=True)
    reply_text = models.TextField(blank=True, max_length=MAX_REPLY_CHARS)
    reply_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["product", "is_hidden", "-created_at"], name="review_product_listing")]
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="review_stars_1_to_5"),
        ]
        verbose_name = "đánh giá"
        verbose_name_plural = "đánh giá"

    def __str__(self) -> str:
        return f"{self.stars}★ {self.author_name} – {self.product_id}"


class ReviewPhoto(WebpPhoto):
    """A buyer's photo of what arrived, through the product photos' pipeline (catalog.images)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")

    class Meta(WebpPhoto.Meta):
        verbose_name = "ảnh đánh giá"
        verbose_name_plural = "ảnh đánh giá"


class ReviewReport(models.Model):
    """One user's complaint about a review; an operator reads them in the admin and may hide the review."""

    class Reason(models.TextChoices):
        OFFENSIVE = "offensive", "Ngôn từ xúc phạm, thô tục"
        SPAM = "spam", "Quảng cáo, spam"
        PRIVATE = "private", "Lộ thông tin cá nhân"
        UNRELATED = "unrelated", "Không liên quan đến sản phẩm"
        FALSE = "false", "Thông tin sai sự thật"
        OTHER = "other", "Lý do khác"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.CharField(max_length=MAX_REPORT_NOTE_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["review", "reporter"], name="review_report_once_per_user")]
        verbose_name = "báo cáo đánh giá"
        verbose_name_plural = "báo cáo đánh giá"

    def __str__(self) -> str:
        return f"{self.get_reason_display()} – đánh giá #{self.review_id}"
