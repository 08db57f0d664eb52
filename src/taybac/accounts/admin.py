from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from taybac.accounts.models import Delegation, Producer, User


@admin.register(User)
class HubUserAdmin(UserAdmin):
    list_display = ("username", "phone", "full_name", "role", "officer_province", "is_staff")
    list_filter = ("role", "is_staff", "officer_province")
    search_fields = ("username", "phone", "full_name")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),  # Django's are always set; the stubs allow None
        ("Tây Bắc Hub", {"fields": ("phone", "full_name", "role", "officer_province")}),
    )


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "province", "owner")
    list_filter = ("kind", "province")
    search_fields = ("name",)
    raw_id_fields = ("owner", "commune")


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("producer", "delegate", "granted_at", "revoked_at")
    raw_id_fields = ("producer", "delegate")
