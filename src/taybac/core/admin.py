from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from taybac.core.models import AuditEntry, OutboxMessage


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "on_behalf_of", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    search_fields = ("target_id", "action")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:  # the audit trail is append-only
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Every SMS and e-mail and how its delivery went; failed ones can be sent again."""

    list_display = ("created_at", "channel", "recipient", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "channel")
    search_fields = ("recipient",)
    fields = (
        "created_at",
        "channel",
        "recipient",
        "subject",
        "shown_body",
        "status",
        "attempts",
        "next_attempt_at",
        "expires_at",
        "sent_at",
        "last_error",
    )
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description="nội dung")
    def shown_body(self, obj: OutboxMessage) -> str:
        return "(ẩn: mã đăng nhập)" if obj.sensitive else obj.body

    @admin.action(description="Gửi lại (tin gửi không được, không chứa mã đăng nhập)", permissions=["resend"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = queryset.filter(status=OutboxMessage.Status.FAILED, sensitive=False).update(
            status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(request, f"{count} tin sẽ được gửi lại trong vòng một phút.")

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.change_outboxmessage")

    def has_add_permission(self, request: HttpRequest) -> bool:  # messages are written by the hub only
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
