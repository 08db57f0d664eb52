"""Producers' shops (gian hàng)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from taybac.api import presenters
from taybac.api.errors import ERRORS, NotFound, refusals
from taybac.api.params import MAX_CODE, SLUG_PATTERN, PageParams, paginate
from taybac.api.schemas import ShopOut, ShopPage
from taybac.catalog import selectors

router = Router(tags=["shops"])


class ShopFilters(Schema):
    province: int | None = Field(None, ge=1, le=MAX_CODE, description="Province code.")


class ShopSlug(Schema):
    slug: str = Field(..., min_length=1, max_length=80, pattern=SLUG_PATTERN, description="Shop slug.")


@router.get("", response={200: ShopPage, **ERRORS}, summary="List shops", operation_id="list_shops")
def list_shops(request: HttpRequest, filters: Query[ShopFilters], pagination: Query[PageParams]) -> dict[str, Any]:
    page = paginate(selectors.shop_list(province_code=filters.province), pagination)
    return page.envelope([presenters.shop(s) for s in page.items])


@router.get(
    "/{slug}",
    response={200: ShopOut, **ERRORS},
    summary="Get a shop",
    operation_id="get_shop",
    openapi_extra=refusals({404: "`not_found`: no public shop with this slug."}),
)
def get_shop(request: HttpRequest, path: Path[ShopSlug]) -> dict[str, Any]:
    shop = selectors.shop_list().filter(slug=path.slug).first()
    if shop is None:
        raise NotFound(f"No shop {path.slug!r}.")
    return presenters.shop(shop)
