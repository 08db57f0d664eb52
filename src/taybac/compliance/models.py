"""Personal-data records the law asks the operator to keep (Law 91/2025/QH15): each consent given or withdrawn,
with its time and the wording the person saw, and each request a person made about their data."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ConsentRecord(models.Model):
    """One consent given or withdrawn. Never updated: the person's current choice is their newest record, and
    the history proves what they agreed to, when, and in which words (the wording's version)."""

    class Purpose(models.TextChoices):
        MARKETING = "marketing", "Tin khuyến mãi, mùa vụ, hội chợ"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    granted = models.BooleanField(help_text="True: consent given; False: withdrawn.")
    wording_version = models.CharField(max_length=16, help_text="Version of the text shown (compliance/consent.py).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "created_at"], name="consent_user_purpose_time")]
        verbose_name = "đồng ý xử lý dữ liệu"
        verbose_name_plural = "đồng ý xử lý dữ liệu"

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} {'đồng ý' if self.granted else 'rút lại'} ({self.wording_version})"


class DataRequest(models.Model):
    """A person's request about their data: a copy (export) or deletion, with where it stands."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Tải dữ liệu"
        DELETE = "delete", "Xoá tài khoản"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ xác nhận"
        DONE = "done", "Đã thực hiện"
        REFUSED = "refused", "Chưa thực hiện được"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_requests")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(max_length=300, blank=True, help_text="Why it was refused, or what was kept.")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "yêu cầu về dữ liệu cá nhân"
        verbose_name_plural = "yêu cầu về dữ liệu cá nhân"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}: {self.get_status_display()}"
