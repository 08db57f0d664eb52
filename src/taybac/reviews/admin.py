"""Operators moderate reviews: read the reports, hide a review (it leaves the product page and the rating) or
show it again. Every change goes through reviews.services.set_hidden, so the product's rating follows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest

from taybac.accounts.http import require_user
from taybac.reviews.models import Review, ReviewPhoto, ReviewReport
from taybac.reviews.services import set_hidden


class ReportInline(admin.TabularInline):
    model = ReviewReport
    extra = 0
    fields = ("created_at", "reporter", "reason", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PhotoInline(admin.TabularInline):
    model = ReviewPhoto
    extra = 0
    fields = ("path_stem", "width", "height")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReportedFilter(admin.SimpleListFilter):
    title = "báo cáo"
    parameter_name = "bao_cao"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("1", "Có báo cáo"), ("0", "Không có báo cáo")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> QuerySet[Review]:
        reported = Exists(ReviewReport.objects.filter(review=OuterRef("pk")))
        if self.value() == "1":
            return queryset.filter(reported)
        if self.value() == "0":
            return queryset.filter(~reported)
        return queryset


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("created_at", "product", "stars", "author_name", "reports", "is_hidden")
    list_filter = ("is_hidden", ReportedFilter, "stars")
    search_fields = ("text", "author_name", "product__name")
    list_select_related = ("product",)
    ordering = ("-created_at",)
    inlines = [PhotoInline, ReportInline]
    fields = (
        "product",
        "author",
        "author_name",
        "order_line",
        "variant_name",
        "stars",
        "text",
        "reply_text",
        "replied_at",
        "created_at",
        "is_hidden",
        "hidden_reason",
    )
    readonly_fields = tuple(f for f in fields if f not in ("is_hidden", "hidden_reason"))
    actions = ["hide", "show"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        return super().get_queryset(request).annotate(report_total=Count("reports"))

    @admin.display(description="Số báo cáo", ordering="report_total")
    def reports(self, review: Review) -> int:
        return getattr(review, "report_total", 0)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reviews come from buyers' delivered orders only

    def save_model(self, request: HttpRequest, obj: Review, form: Any, change: bool) -> None:
        """Only hiding can change here, and only through the service (the rating moves with it)."""
        set_hidden(
            actor=require_user(request),
            review=obj,
            hidden=bool(form.cleaned_data["is_hidden"]),
            reason=form.cleaned_data.get("hidden_reason", ""),
        )

    @admin.action(description="Ẩn các đánh giá đã chọn")
    def hide(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        actor = require_user(request)
        for review in queryset:
            set_hidden(actor=actor, review=review, hidden=True, reason="Ẩn theo báo cáo vi phạm")
        messages.success(request, f"Đã ẩn {len(queryset)} đánh giá.")

    @admin.action(description="Hiện lại các đánh giá đã chọn")
    def show(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        actor = require_user(request)
        for review in queryset:
            set_hidden(actor=actor, review=review, hidden=False)
        messages.success(request, f"Đã hiện lại {len(queryset)} đánh giá.")
