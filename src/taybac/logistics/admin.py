"""Operators edit the hub network's price lists here (/quan-tri/): a table with its weight bands and delivery
days per zone, and the remote communes that pay the surcharge. A table whose bands overlap, leave a gap, miss a
zone or get cheaper for heavier parcels is refused with the reason, so checkout never meets a weight it cannot
price.
Activating a table retires the previous one; the active table can be neither switched off nor deleted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from taybac.logistics.models import RateTable, RemoteCommune, WeightBand, ZoneEta
from taybac.logistics.rates import Band, band_problems


class WeightBandFormSet(forms.BaseInlineFormSet):
    """Checks the bands of all zones together (a single row cannot know it overlaps another)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        bands = []
        for form in self.forms:
            data: dict[str, Any] = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            bands.append(
                Band(data["zone"], data["from_g"], data.get("to_g"), data["base_fee"], data["step_g"], data["step_fee"])
            )
        problems = band_problems(bands)
        if problems:
            raise forms.ValidationError(problems)


class WeightBandInline(admin.TabularInline):
    model = WeightBand
    formset = WeightBandFormSet
    extra = 0
    fields = ["zone", "from_g", "to_g", "base_fee", "step_g", "step_fee"]


class ZoneEtaInline(admin.TabularInline):
    model = ZoneEta
    extra = 0
    fields = ["zone", "days_min", "days_max"]


@admin.register(RateTable)
class RateTableAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "cod_percent_bp", "cod_min_fee", "remote_surcharge", "updated_at"]
    fields = [
        "name",
        "is_active",
        "cod_percent_bp",
        "cod_min_fee",
        "insurance_free_value",
        "insurance_percent_bp",
        "remote_surcharge",
    ]
    inlines = [WeightBandInline, ZoneEtaInline]

    def save_model(self, request: HttpRequest, obj: RateTable, form: Any, change: bool) -> None:
        """Activating a table retires the previous one (the admin's change view is one transaction)."""
        if obj.is_active:
            RateTable.objects.filter(is_active=True).exclude(pk=obj.pk).update(is_active=False)
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: RateTable | None = None) -> bool:
        """The active table cannot be deleted: checkout would have no prices."""
        return not (obj is not None and obj.is_active) and super().has_delete_permission(request, obj)


@admin.register(RemoteCommune)
class RemoteCommuneAdmin(admin.ModelAdmin):
    list_display = ["commune_code", "name", "note"]
    search_fields = ["name", "commune_code"]
