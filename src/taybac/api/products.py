"""Products with their variants (price, GTIN, stock), OCOP badge, season and photos."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from taybac.api import presenters
from taybac.api.errors import ERRORS, NotFound, refusals
from taybac.api.params import MAX_CODE, SLUG_PATTERN, PageParams, paginate
from taybac.api.schemas import ProductDetailOut, ProductPage
from taybac.catalog import selectors

router = Router(tags=["products"])


class ProductFilters(Schema):
    province: int | None = Field(None, ge=1, le=MAX_CODE, description="Province code, e.g. 14 for Sơn La.")
    category: str | None = Field(None, max_length=50, pattern=SLUG_PATTERN, description="Category slug, e.g. mat-ong.")
    shop: str | None = Field(None, max_length=80, pattern=SLUG_PATTERN, description="Shop slug.")


class ProductId(Schema):
    id: int = Field(..., ge=1, le=MAX_CODE)


@router.get("", response={200: ProductPage, **ERRORS}, summary="List products", operation_id="list_products")
def list_products(
    request: HttpRequest, filters: Query[ProductFilters], pagination: Query[PageParams]
) -> dict[str, Any]:
    qs = selectors.product_list(province_code=filters.province, category_slug=filters.category, shop_slug=filters.shop)
    page = paginate(qs, pagination)
    products = selectors.with_active_variants(page.items)
    return page.envelope([presenters.product_card(request, p) for p in products])


@router.get(
    "/{id}",
    response={200: ProductDetailOut, **ERRORS},
    summary="Get a product",
    operation_id="get_product",
    openapi_extra=refusals(
        {404: "`not_found`: no product with this id, or it is not on sale (shop or product hidden)."}
    ),
)
def get_product(request: HttpRequest, path: Path[ProductId]) -> dict[str, Any]:
    product = selectors.product_detail(path.id)
    if product is None:
        raise NotFound(f"No product {path.id}.")
    return presenters.product_detail(request, product)
