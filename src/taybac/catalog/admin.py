from django.contrib import admin

from taybac.catalog import hooks
from taybac.catalog.models import (
    Category,
    GeographicalIndication,
    OcopCertificate,
    Product,
    ProductPhoto,
    Shop,
    ShopPhoto,
    Variant,
)
from taybac.core.adminkit import labelled, titled


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ("sku", "name", "unit", "weight_grams", "price", "quantity", "allocated", "gtin", "is_active")
    readonly_fields = ("allocated",)


class OcopInline(admin.StackedInline):
    model = OcopCertificate
    extra = 0
    readonly_fields = ("recorded_by", "recorded_at")  # set by catalog.certificates (the officer page)


@admin.register(Product)
@labelled(
    name=("name", "Sản phẩm"),
    shop=("shop.name", "Gian hàng"),
    active=("is_active", "Đang bán"),
)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("vi_name", "vi_shop", "vi_active")
    list_filter = (
        ("category", titled(admin.RelatedFieldListFilter, "ngành hàng")),
        ("is_active", titled(admin.BooleanFieldListFilter, "đang bán")),
        ("kind", titled(admin.ChoicesFieldListFilter, "loại")),
        ("tax_kind", titled(admin.ChoicesFieldListFilter, "loại để khấu trừ thuế")),
        ("shop__province", titled(admin.RelatedFieldListFilter, "tỉnh")),
    )
    search_fields = ("name",)
    raw_id_fields = ("shop",)
    inlines = [VariantInline, OcopInline]
    list_select_related = ("shop", "category")
    # Counters kept by catalog.stats from reviews and deliveries: an edit here would leave them wrong.
    # The GI link is checked against the producer's commune on the officer page (catalog.certificates).
    readonly_fields = ("rating_count", "rating_total", "sold_count", "gi")

    def save_related(self, request, form, formsets, change) -> None:
        """Operators' edits must reach search too (inlines are saved last, so announce the change here)."""
        super().save_related(request, form, formsets, change)
        hooks.products_changed([form.instance.pk])


@admin.register(Shop)
@labelled(
    name=("name", "Gian hàng"),
    province=("province.name", "Tỉnh"),
    active=("is_active", "Đang mở"),
)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("vi_name", "vi_province", "vi_active")
    list_filter = (
        ("province", titled(admin.RelatedFieldListFilter, "tỉnh")),
        ("is_active", titled(admin.BooleanFieldListFilter, "đang mở")),
    )
    list_select_related = ("province",)
    search_fields = ("name",)
    raw_id_fields = ("producer", "commune")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        hooks.shops_changed([obj.pk])


admin.site.register(Category, list_display=("name", "slug", "position", "tax_kind"), list_editable=("tax_kind",))
admin.site.register(ProductPhoto, list_display=("product", "width", "height"), raw_id_fields=("product",))
admin.site.register(ShopPhoto, list_display=("shop", "width", "height"), raw_id_fields=("shop",))


@admin.register(GeographicalIndication)
class GeographicalIndicationAdmin(admin.ModelAdmin):
    """Operators keep the GI register here (national data); linking products is on the officer page, which
    checks the producer's commune against the area."""

    list_display = ("name", "product_type", "number", "registered_on")
    search_fields = ("name", "product_type", "number")
    filter_horizontal = ("provinces",)
    raw_id_fields = ("communes",)
