from django.contrib import admin

from taybac.search.models import SearchQueryLog


@admin.register(SearchQueryLog)
class SearchQueryLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence of what buyers look for, not something to edit."""

    list_display = ("created_at", "query", "result_count", "page", "backend", "duration_ms")
    list_filter = ("backend",)
    search_fields = ("query",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
