"""Reads that only the storefront pages need."""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from taybac.catalog.models import Shop
from taybac.regions.models import Province


def provinces_with_counts() -> QuerySet[Province]:
    """The region's provinces with how many active products their shops list."""
    active = Q(shops__is_active=True, shops__products__is_active=True)
    return (Province.objects.filter(in_region=True)
            .annotate(product_count=Count("shops__products", filter=active)).order_by("name"))


def province_by_slug(slug: str) -> Province | None:
    """'lao-cai' or 'lao_cai' -> Lào Cai."""
    return Province.objects.prefetch_related("aliases").filter(codename=slug.replace("-", "_")).first()


def shops_of_province(province_code: int) -> QuerySet[Shop]:
    return (Shop.objects.filter(province_id=province_code, is_active=True).select_related("commune", "producer")
            .annotate(product_count=Count("products", filter=Q(products__is_active=True))).order_by("name"))
