from django.contrib import admin

from taybac.search.models import SearchQueryLog, Synonym
from taybac.search.synonyms import phrases_of


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


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """Operators keep the words buyers use for the same thing; a change applies to the next search (no reindex)."""

    list_display = ("terms", "folded", "is_active", "note", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("terms", "note")

    @admin.display(description="dạng tìm kiếm")
    def folded(self, obj: Synonym) -> str:
        return " = ".join(" ".join(p) for p in phrases_of(obj.terms))
