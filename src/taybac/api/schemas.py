"""Response shapes of the catalogue and regions endpoints, and the integer type of every JSON body.
Money is integer đồng."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict


def _json_integer(value: object) -> object:
    """A JSON body's integer is a JSON number: `true` is not 1 and `"2"` is not 2 (pydantic's lax mode would take
    both). A number with a zero fraction (`2.0`) is kept, as JSON Schema's `integer` allows it."""
    if isinstance(value, bool):
        raise ValueError("must be a JSON integer, not true/false")
    if not isinstance(value, (int, float)):
        raise ValueError("must be a JSON integer, not a string or another type")
    return value


JSON_INTEGER = BeforeValidator(_json_integer)
# Bounds go in the field's own Field(ge=, le=); inside a list or an `| None`, write them before the validator,
# `Annotated[int, Ge(1), Le(12), JSON_INTEGER]`, or the OpenAPI document loses them.
JsonInt = Annotated[int, JSON_INTEGER]


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


class CardRatingOut(Schema):
    count: int = Field(..., ge=0, description="Visible reviews from verified buyers.")
    average: float | None = Field(..., description="Mean stars (1–5) to one decimal; null before the first review.")


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
    rating: CardRatingOut
    sold: int = Field(..., ge=0, description='Units delivered to buyers ("Đã bán").')
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


class ShippingOptionOut(Schema):
    """One way to deliver a shop order, as a carrier quoted it for this cart (docs/logistics.md)."""

    id: str = Field(..., description='"carrier:service", e.g. "hub:standard"; send it back in `shipping_choices`.')
    carrier: str = Field(..., description="`hub` (the hub's post-office network, always offered), `ghn`, `ghtk`.")
    carrier_name: str
    service: str
    name: str = Field(..., description="The service's name, for people.")
    fee: int = Field(..., description="Everything the buyer pays for delivery, `cod_fee` included (đồng).")
    cod_fee: int = Field(..., description="The carrier's fee for collecting cash on delivery; 0 for VietQR.")
    eta_days_min: int = Field(..., description="Estimated delivery, in days after hand-over.")
    eta_days_max: int


class ShippingChoiceIn(Schema):
    """The option the buyer chose for one shop's order (a shop left out gets the default: the hub's cheapest)."""

    model_config = ConfigDict(extra="forbid")

    shop_id: JsonInt = Field(..., ge=1, le=2_147_483_647)
    option_id: str = Field(..., min_length=3, max_length=64, pattern=r"^[a-z0-9_-]+:[^:\s]+$")


class ShopOrderShippingOut(Schema):
    """The shipping option recorded on a shop order: what the buyer chose and was charged."""

    carrier: str
    service: str
    name: str
    fee: int = Field(..., description="Equal to the shop order's `shipping_fee`, `cod_fee` included.")
    cod_fee: int
    eta_days_min: int | None
    eta_days_max: int | None
