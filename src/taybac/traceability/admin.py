"""Operators see lots, events and checkpoints but cannot change them: the log is append-only by design,
and an edit here would only make `taybac trace verify` fail."""
from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from taybac.traceability.models import Checkpoint, Location, Lot, TraceEvent


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
    list_display = ("leaf_index", "event_type", "biz_step", "disposition", "event_time", "source")
    list_filter = ("event_type", "biz_step", "source")
    search_fields = ("event_id",)


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("size", "created_at")


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ("gln", "name", "shop", "pickup_point")
    search_fields = ("gln", "name")
