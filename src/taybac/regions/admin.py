from django.contrib import admin

from taybac.regions.models import Address, Commune, PickupPoint, Province, ProvinceAlias


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "division_type", "in_region")
    list_filter = ("in_region",)
    search_fields = ("name", "name_folded")


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "division_type", "province")
    list_filter = ("province",)
    search_fields = ("name", "name_folded")


admin.site.register(ProvinceAlias)
admin.site.register(Address, list_display=("street", "commune", "province"), raw_id_fields=("commune",))


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    """Operators assign post-office staff here; staff then receive parcels at /buu-dien/."""

    list_display = ("code", "name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    raw_id_fields = ("address",)
    autocomplete_fields = ("staff",)  # searched by phone or name (HubUserAdmin.search_fields)
