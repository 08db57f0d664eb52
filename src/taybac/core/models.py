"""Audit log: every action taken, and on whose behalf (helpers act for producers). Outbox: every SMS and e-mail
the hub sends, kept until it is delivered or has failed (core/outbox.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """One audited action: "actor did action on target", optionally on behalf of another user."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"

    def __str__(self) -> str:
        who = str(self.actor) if self.actor else "hệ thống"
        if self.on_behalf_of_id and self.on_behalf_of_id != self.actor_id:
            who += f" thay mặt {self.on_behalf_of}"
        return f"{who}: {self.action} {self.target_type}#{self.target_id}"


class OutboxMessage(models.Model):
    """One SMS or e-mail to send: written in the transaction of the event it tells about, sent after commit
    by the job runner, retried with exponential backoff (core/outbox.py)."""

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "E-mail"
        ZALO = "zalo", "Zalo OA"  # replies of the buyer assistant (assistant/channels)
        MESSENGER = "facebook", "Facebook Messenger"

    class Status(models.TextChoices):
        PENDING = "pending", "chờ gửi"
        SENT = "sent", "đã gửi"
        FAILED = "failed", "gửi không được"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(
        max_length=254, help_text="E.164 phone number (SMS), e-mail address, or the chat channel's user id."
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # A secret (a sign-in code): the body is hidden in the admin and erased once sent or failed.
    sensitive = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the next try may start; a worker that takes a message moves it forward by a lease (outbox.LEASE).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # After this time the message is no longer worth sending (a sign-in code past its expiry).
    expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = "tin nhắn đi"
        verbose_name_plural = "tin nhắn đi (outbox)"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} tới {self.recipient}: {self.get_status_display()}"
