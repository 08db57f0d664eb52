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
admin.site.register(PickupPoint, list_display=("code", "name", "kind", "is_active"))
