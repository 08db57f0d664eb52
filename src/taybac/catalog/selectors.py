"""Catalogue reads for pages and the API, with their joins declared once."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet, Sum, prefetch_related_objects

from taybac.catalog.models import Product, ProductPhoto, Shop, Variant
from taybac.core.text import place_sort_key, vietnamese_sort_key
from taybac.regions.models import Province


def product_cards() -> QuerySet[Product]:
    """Active products with what a product card shows, in a fixed number of queries."""
    return (
        Product.objects.filter(is_active=True, shop__is_active=True)
        .select_related("shop", "shop__province", "category", "ocop")
        .annotate(min_price=Min("variants__price", filter=Q(variants__is_active=True)))
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id")))
    )


def products_in_season(today: datetime.date | None = None) -> QuerySet[Product]:
    month = (today or datetime.date.today()).month
    return (
        product_cards()
        .annotate(season_bit=F("season_mask").bitand(1 << month))
        .filter(season_bit__gt=0)
        .order_by("-created_at")
    )


def ocop_products(today: datetime.date | None = None) -> QuerySet[Product]:
    today = today or datetime.date.today()
    return product_cards().filter(ocop__expires_on__gte=today).order_by("-ocop__stars", "-created_at")


def products_of_province(province_code: int) -> QuerySet[Product]:
    return product_cards().filter(shop__province_id=province_code)


def products_of_shop(shop: Shop) -> QuerySet[Product]:
    return product_cards().filter(shop=shop)


def _detailed(products: QuerySet[Product]) -> QuerySet[Product]:
    """What a product's detail shows: its shop and commune, category, certificate, active variants, photos."""
    return products.select_related(
        "shop", "shop__province", "shop__commune", "shop__producer", "category", "ocop", "gi"
    ).prefetch_related(
        Prefetch("variants", queryset=Variant.objects.filter(is_active=True)),
        Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id")),
    )


def product_detail(product_id: int) -> Product | None:
    """An active product of an open shop, for the public page and API."""
    return _detailed(Product.objects.filter(pk=product_id, is_active=True, shop__is_active=True)).first()


def seller_product_detail(product_id: int) -> Product:
    """The same detail of any product, a closed shop's too: the seller API answers with what it stored."""
    return _detailed(Product.objects.filter(pk=product_id)).get()


def product_by_gtin(gtin14: str) -> Product | None:
    """The public product of a GTIN, for a redirect: its id and slug only, in one query (a QR scan needs no more)."""
    return (
        Product.objects.filter(variants__gtin=gtin14, is_active=True, shop__is_active=True).only("id", "slug").first()
    )


def shop_by_slug(slug: str) -> Shop | None:
    """The shop page's shop, with the seller's identity (legal name and commune shown on the page) in the same query."""
    related = ("province", "commune", "producer__identity__commune__province")
    return Shop.objects.filter(slug=slug, is_active=True).select_related(*related).first()


def shops_of_province(province_code: int) -> list[Shop]:
    """A province's active shops with their number of active products (one query), in Vietnamese alphabetical
    order (core.text.vietnamese_sort_key: the same on SQLite and PostgreSQL)."""
    shops = (
        Shop.objects.filter(province_id=province_code, is_active=True)
        .select_related("commune", "producer")
        .annotate(product_count=Count("products", filter=Q(products__is_active=True)))
    )
    return sorted(shops, key=lambda s: (vietnamese_sort_key(s.name), s.pk))


def provinces_with_counts() -> list[Province]:
    """The region's provinces with how many active products their active shops list (one query), in Vietnamese
    alphabetical order under their name."""
    active = Q(shops__is_active=True, shops__products__is_active=True)
    provinces = Province.objects.filter(in_region=True).annotate(product_count=Count("shops__products", filter=active))
    return sorted(provinces, key=lambda p: place_sort_key(p.name))


def shop_products_for_seller(shop: Shop) -> QuerySet[Product]:
    """The seller's own list: inactive products too, with total stock."""
    return (
        Product.objects.filter(shop=shop)
        .select_related("category")
        .annotate(stock=Sum("variants__quantity"), min_price=Min("variants__price"))
        .prefetch_related("variants", Prefetch("photos", queryset=ProductPhoto.objects.order_by("position")))
        .order_by("-updated_at")
    )


def shop_list(*, province_code: int | None = None) -> QuerySet[Shop]:
    """Active shops with their place and the number of active products (one query)."""
    qs = (
        Shop.objects.filter(is_active=True)
        .select_related("province", "commune", "producer")
        .annotate(product_count=Count("products", filter=Q(products__is_active=True)))
    )
    if province_code is not None:
        qs = qs.filter(province_id=province_code)
    return qs.order_by("name", "id")


def product_list(
    *, province_code: int | None = None, category_slug: str | None = None, shop_slug: str | None = None
) -> QuerySet[Product]:
    """Product cards narrowed by the usual browse filters, newest first."""
    qs = product_cards()
    if province_code is not None:
        qs = qs.filter(shop__province_id=province_code)
    if category_slug:
        qs = qs.filter(category__slug=category_slug)
    if shop_slug:
        qs = qs.filter(shop__slug=shop_slug)
    return qs.order_by("-created_at", "-id")


def with_active_variants(products: list[Product]) -> list[Product]:
    """Load the active variants of a page of products in one query (lists show price, GTIN and stock)."""
    prefetch_related_objects(products, Prefetch("variants", queryset=Variant.objects.filter(is_active=True)))
    return products
