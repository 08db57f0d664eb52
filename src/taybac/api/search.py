"""Vietnamese catalogue search and autocomplete (taybac.search.services does the work)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from taybac.api import presenters
from taybac.api.errors import ERRORS, refusals
from taybac.api.params import MAX_CODE, MAX_TEXT, SLUG_PATTERN, PageParams, clean_text
from taybac.api.schemas import ProductCardOut
from taybac.catalog.selectors import with_active_variants
from taybac.core.money import MAX_PRICE_VND
from taybac.search.services import SearchError, SearchFilters, autocomplete, search_products

router = Router(tags=["search"])

MAX_SUGGESTIONS = 20
# The service names its arguments; API clients know the query parameters.
_PARAM_OF_FIELD = {
    "query": "q",
    "prefix": "q",
    "province_code": "province",
    "category_slug": "category",
    "ocop_min_stars": "ocop_min",
}


def _as_api_error(exc: SearchError) -> SearchError:
    return SearchError(exc.message, field=_PARAM_OF_FIELD.get(exc.field or "", exc.field), code=exc.code)


class SearchParams(Schema):
    q: str = Field("", max_length=MAX_TEXT, description="What the buyer typed; diacritics optional.")
    province: int | None = Field(None, ge=1, le=MAX_CODE, description="Province code.")
    category: str | None = Field(None, max_length=50, pattern=SLUG_PATTERN, description="Category slug.")
    ocop_min: int | None = Field(None, ge=3, le=5, description="Minimum OCOP stars (valid certificate).")
    price_min: int | None = Field(None, ge=0, le=MAX_PRICE_VND, description="Integer đồng.")
    price_max: int | None = Field(None, ge=0, le=MAX_PRICE_VND, description="Integer đồng.")
    in_season: bool | None = Field(None, description="true: only products in season this month.")
    sort: str = Field(
        "relevance",
        pattern="^(relevance|price_asc|price_desc|newest|rating)$",
        description="relevance (default), price_asc / price_desc (cheapest active variant), newest, or rating "
        "(average stars, then number of reviews).",
    )


class SuggestParams(Schema):
    q: str = Field(..., max_length=MAX_TEXT, description="The beginning of a word or name.")
    limit: int = Field(8, ge=1, le=MAX_SUGGESTIONS)


class SearchPageOut(Schema):
    items: list[ProductCardOut]
    count: int = Field(..., description="Products matching, over all pages.")
    page: int
    page_size: int
    query: str = Field(..., description="The text that was searched, after cleaning.")


class SuggestOut(Schema):
    items: list[str]
    count: int


@router.get(
    "",
    response={200: SearchPageOut, **ERRORS},
    operation_id="search_products",
    summary="Search products",
    openapi_extra=refusals(
        {
            400: "`invalid_price_range` (field `price_min`): `price_min` is above "
            "`price_max`. Both are valid alone; OpenAPI cannot state the rule "
            "between two parameters."
        }
    ),
)
def search(request: HttpRequest, params: Query[SearchParams], pagination: Query[PageParams]) -> dict[str, Any]:
    filters = SearchFilters(
        province_code=params.province,
        category_slug=params.category,
        ocop_min_stars=params.ocop_min,
        price_min=params.price_min,
        price_max=params.price_max,
        in_season=bool(params.in_season),
    )
    try:
        result = search_products(
            query=clean_text(params.q),
            filters=filters,
            page=pagination.page,
            page_size=pagination.page_size,
            sort=params.sort,
        )
    except SearchError as exc:
        raise _as_api_error(exc) from None
    products = with_active_variants(list(result.items))
    return {
        "items": [presenters.product_card(request, p) for p in products],
        "count": result.count,
        "page": result.page,
        "page_size": result.page_size,
        "query": result.query,
    }


@router.get(
    "/suggest", response={200: SuggestOut, **ERRORS}, operation_id="suggest", summary="Autocomplete a search box"
)
def suggest(request: HttpRequest, params: Query[SuggestParams]) -> dict[str, Any]:
    try:
        items = autocomplete(prefix=clean_text(params.q), limit=params.limit)
    except SearchError as exc:
        raise _as_api_error(exc) from None
    return {"items": items, "count": len(items)}
