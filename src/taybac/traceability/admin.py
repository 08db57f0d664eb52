"""Operators see lots, events and checkpoints but cannot change them: the log is append-only by design,
and an edit here would only make `taybac trace verify` fail. Partners' capture keys are created here (the
token is shown once) and revoked, never edited or deleted: events keep naming the key that captured them."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from taybac.accounts.http import require_user
from taybac.accounts.models import Role
from taybac.traceability import capture_keys
from taybac.traceability.models import CaptureKey, Checkpoint, Location, Lot, TraceEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ("code", "variant", "shop", "harvested_on", "quantity", "unit", "commune")
    list_select_related = ("variant__product", "shop", "commune")
    search_fields = ("code", "variant__gtin", "variant__product__name", "shop__name")
    date_hierarchy = "harvested_on"


@admin.register(TraceEvent)
class TraceEventAdmin(ReadOnlyAdmin):
    list_display = (
        "leaf_index",
        "event_type",
        "biz_step",
        "disposition",
        "event_time",
        "source",
        "recorded_by",
        "on_behalf_of",
        "capture_key",
    )
    list_select_related = ("recorded_by", "on_behalf_of", "capture_key")
    list_filter = ("event_type", "biz_step", "source", ("declares", admin.EmptyFieldListFilter))
    search_fields = ("event_id",)


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("size", "created_at")


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ("gln", "name", "shop", "pickup_point")
    search_fields = ("gln", "name")


def _operator(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or user.role == Role.OPERATOR)


# The new key's token, from save_model to response_add of the same request (then forgotten).
_new_tokens: WeakKeyDictionary[HttpRequest, str] = WeakKeyDictionary()


class CaptureKeyForm(forms.ModelForm):
    class Meta:
        model = CaptureKey
        fields = ("name", "producers", "all_producers")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("all_producers") and data.get("producers"):
            raise forms.ValidationError("Chọn một số nhà sản xuất, hoặc “tất cả”, không chọn cả hai.")
        return data


@admin.register(CaptureKey)
class CaptureKeyAdmin(admin.ModelAdmin):
    """One key per partner system, limited to the producers it works for; revoke instead of deleting."""

    form = CaptureKeyForm
    list_display = ("name", "lookup", "all_producers", "created_by", "created_at", "last_used_at", "revoked_at")
    list_filter = ("all_producers",)
    list_select_related = ("created_by",)
    search_fields = ("name", "lookup")
    autocomplete_fields = ("producers",)
    actions = ["revoke"]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _operator(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _operator(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CaptureKey, form: forms.ModelForm, change: bool) -> None:
        new = capture_keys.create(
            name=form.cleaned_data["name"],
            producers=list(form.cleaned_data["producers"]),
            all_producers=form.cleaned_data["all_producers"],
            created_by=require_user(request),
        )
        obj.pk, obj.lookup, obj.key_hash, obj.created_at = (
            new.key.pk,
            new.key.lookup,
            new.key.key_hash,
            new.key.created_at,
        )
        _new_tokens[request] = new.token  # shown once by response_add, never stored

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        """capture_keys.create already set the producers (and audited them)."""

    def response_add(self, request: HttpRequest, obj: CaptureKey, post_url_continue: str | None = None) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "key": obj,
            "token": _new_tokens.pop(request),
            "title": f"Khoá mới: {obj.name}",
        }
        return TemplateResponse(request, "admin/traceability/capturekey/created.html", context)

    @admin.action(description="Thu hồi các khoá đã chọn")
    def revoke(self, request: HttpRequest, queryset: QuerySet[CaptureKey]) -> None:
        keys = [key for key in queryset if key.revoked_at is None]
        for key in keys:
            capture_keys.revoke(key=key, revoked_by=require_user(request))
        self.message_user(request, f"Đã thu hồi {len(keys)} khoá.", messages.SUCCESS)
