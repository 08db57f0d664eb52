from django.contrib import admin

from taybac.core.models import AuditEntry


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
