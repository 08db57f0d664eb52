"""Reads of the brand page and the official records (OCOP e-certificates, geographical indications), with their
joins declared once so every page costs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from taybac.accounts.models import Role, User
from taybac.catalog.certificates import is_operator
from taybac.catalog.models import GeographicalIndication, OcopCertificate, Product, Shop, ShopPhoto
from taybac.catalog.selectors import products_of_shop

MAX_BRAND_PRODUCTS = 60
MAX_OFFICER_ROWS = 100


@dataclass(frozen=True)
class BrandPage:
    shop: Shop
    photos: list[ShopPhoto]
    products: list[Product]
    certificates: list[OcopCertificate]  # valid first, then expired, highest stars first
    indications: list[GeographicalIndication]


def brand_page(shop: Shop, *, today: datetime.date | None = None) -> BrandPage:
    """Everything the brand page shows of the catalogue: photos, products, their OCOP certificates and GIs."""
    today = today or datetime.date.today()
    products = list(products_of_shop(shop).select_related("gi")[:MAX_BRAND_PRODUCTS])
    certificates = sorted(
        (p.ocop for p in products if hasattr(p, "ocop")),
        key=lambda c: (not c.is_valid(today), -c.stars, c.product.name),
    )
    indications = {p.gi.pk: p.gi for p in products if p.gi is not None}
    return BrandPage(
        shop=shop,
        photos=list(shop.photos.all()),
        products=products,
        certificates=certificates,
        indications=sorted(indications.values(), key=lambda g: g.name),
    )


def ocop_certificate(pk: int) -> OcopCertificate | None:
    """A certificate for its public page: product, shop, place, GI and who recorded it (one query)."""
    return (
        OcopCertificate.objects.filter(pk=pk)
        .select_related(
            "product__shop__province", "product__shop__commune", "product__shop__producer", "product__gi", "recorded_by"
        )
        .first()
    )


def geographical_indication(pk: int) -> GeographicalIndication | None:
    return GeographicalIndication.objects.filter(pk=pk).prefetch_related("provinces", "communes").first()


def gi_products(gi: GeographicalIndication) -> list[Product]:
    """The GI's linked products on sale, with their shop and place."""
    return list(
        gi.products.filter(is_active=True, shop__is_active=True)
        .select_related("shop__province", "shop__commune")
        .order_by("shop__name", "name")[:MAX_BRAND_PRODUCTS]
    )


def indications_covering(product: Product) -> list[GeographicalIndication]:
    """GIs whose area holds the product's producer: listed communes, or whole provinces when none is listed."""
    shop = product.shop
    by_commune = Q(communes=shop.commune_id)
    by_province = Q(communes__isnull=True, provinces=shop.province_id)
    return list(GeographicalIndication.objects.filter(by_commune | by_province).distinct().order_by("name"))


def products_to_certify(user: User, *, province_code: int | None = None, query: str = "") -> QuerySet[Product]:
    """What the officer page lists: an officer's own province whatever is asked; an operator's choice."""
    products = Product.objects.filter(kind=Product.Kind.GOODS).select_related(
        "shop__province", "shop__commune", "ocop", "gi"
    )
    if is_operator(user=user):
        if province_code is not None:
            products = products.filter(shop__province_id=province_code)
    elif user.is_authenticated and user.role == Role.OFFICER and user.officer_province_id is not None:
        products = products.filter(shop__province_id=user.officer_province_id)
    else:
        return products.none()
    words = query.strip()[:80]
    if words:
        products = products.filter(Q(name__icontains=words) | Q(shop__name__icontains=words))
    return products.order_by("shop__name", "name")[:MAX_OFFICER_ROWS]
