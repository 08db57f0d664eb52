"""Response shapes of the catalogue and regions endpoints. Money is integer đồng."""
from __future__ import annotations

import datetime

from ninja import Field, Schema



class ProvinceRef(Schema):
    code: int
    name: str


class CommuneRef(Schema):
    code: int
    name: str


class ProvinceOut(Schema):
    code: int
    name: str
    codename: str
    division_type: str
    phone_code: int | None
    in_region: bool = Field(..., description="One of the hub's nine northern midland and mountain provinces.")
    old_names: list[str] = Field(..., description="Pre-2025 province names merged into this one.")


class CommuneOut(Schema):
    code: int
    name: str
    codename: str
    division_type: str
    province_code: int


class CategoryRef(Schema):
    slug: str
    name: str
    name_en: str


class ShopRef(Schema):
    slug: str
    name: str


class ShopOut(Schema):
    slug: str
    name: str
    description: str
    producer_kind: str = Field(..., description="household, cooperative or enterprise")
    province: ProvinceRef
    commune: CommuneRef
    product_count: int


class VariantOut(Schema):
    id: int
    sku: str
    name: str
    unit: str
    weight_grams: int
    price: int = Field(..., description="Integer đồng.")
    gtin: str = Field(..., description="GTIN-14 with a valid GS1 check digit.")
    stock: int = Field(..., description="Units available to order now (on hand minus reserved).")


class OcopOut(Schema):
    stars: int
    issuer: str
    number: str
    issued_on: datetime.date
    expires_on: datetime.date
    valid: bool


class PhotoOut(Schema):
    src: str
    srcset: str
    width: int
    height: int
    alt: str


class ProductCardOut(Schema):
    id: int
    name: str
    url: str = Field(..., description="The product's page on the storefront.")
    price: int | None = Field(..., description="Cheapest active variant, integer đồng.")
    province: ProvinceRef
    shop: ShopRef
    category: CategoryRef
    ocop_stars: int | None = Field(..., description="Stars of a valid OCOP certificate, if any.")
    in_season: bool
    photo: PhotoOut | None
    variants: list[VariantOut]


class ProductDetailOut(ProductCardOut):
    description_html: str = Field(..., description="Sanitised HTML.")
    geographical_indication: str
    season_months: list[int]
    next_harvest: datetime.date | None
    preorder_allowed: bool
    ocop: OcopOut | None
    photos: list[PhotoOut]
    commune: CommuneRef


# Paginated lists: `items` first, then where they sit in the whole result.
_COUNT = Field(..., description="Items matching, over all pages.")


class ProvincePage(Schema):
    items: list[ProvinceOut]
    count: int = _COUNT
    page: int
    page_size: int


class CommunePage(Schema):
    items: list[CommuneOut]
    count: int = _COUNT
    page: int
    page_size: int


class ShopPage(Schema):
    items: list[ShopOut]
    count: int = _COUNT
    page: int
    page_size: int


class ProductPage(Schema):
    items: list[ProductCardOut]
    count: int = _COUNT
    page: int
    page_size: int
