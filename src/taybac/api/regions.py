"""Provinces and communes of the 2025 two-level administration (34 provinces, 3,321 communes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from taybac.api import presenters
from taybac.api.errors import ERRORS, NotFound, refusals
from taybac.api.params import MAX_CODE, MAX_TEXT, LongPageParams, PageParams, clean_text, paginate
from taybac.api.schemas import CommunePage, ProvinceOut, ProvincePage
from taybac.regions import selectors
from taybac.regions.models import Province

router = Router(tags=["regions"])


class ProvinceFilters(Schema):
    in_region: bool | None = Field(
        None, description="true: only the hub's nine northern midland and mountain provinces; false: only the others."
    )


class ProvinceCode(Schema):
    code: int = Field(..., ge=1, le=MAX_CODE, description="Province code (2025), e.g. 15 for Lào Cai.")


class LookupParams(Schema):
    name: str = Field(
        ...,
        min_length=1,
        max_length=MAX_TEXT,
        description="Name with or without diacritics, current or pre-2025: 'yen bai', 'Hà Giang'.",
    )


class CommuneFilters(Schema):
    q: str = Field("", max_length=MAX_TEXT, description="Part of the commune's name, diacritics optional.")


def _province_or_404(code: int) -> Province:
    province = selectors.province_by_code(code)
    if province is None:
        raise NotFound(f"No province with code {code}.")
    return province


@router.get(
    "/provinces", response={200: ProvincePage, **ERRORS}, summary="List provinces", operation_id="list_provinces"
)
def list_provinces(
    request: HttpRequest, filters: Query[ProvinceFilters], pagination: Query[LongPageParams]
) -> dict[str, Any]:
    qs = selectors.province_list(in_region=filters.in_region).prefetch_related("aliases")
    page = paginate(qs, pagination)
    return page.envelope([presenters.province(p) for p in page.items])


@router.get(
    "/provinces/lookup",
    response={200: ProvinceOut, **ERRORS},
    operation_id="lookup_province",
    summary="Find a province by name",
    openapi_extra=refusals({404: "`not_found`: no province, current or pre-2025, has this name."}),
)
def lookup_province(request: HttpRequest, params: Query[LookupParams]) -> dict[str, Any]:
    """Sellers type names without diacritics and still use pre-2025 names; both resolve to today's province."""
    name = clean_text(params.name)
    province = selectors.province_by_name(name) if name else None
    if province is None:
        raise NotFound(f"No province named {name!r}.")
    return presenters.province(province)


@router.get(
    "/provinces/{code}",
    response={200: ProvinceOut, **ERRORS},
    summary="Get a province",
    operation_id="get_province",
    openapi_extra=refusals({404: "`not_found`: no province with this code."}),
)
def get_province(request: HttpRequest, path: Path[ProvinceCode]) -> dict[str, Any]:
    return presenters.province(_province_or_404(path.code))


@router.get(
    "/provinces/{code}/communes",
    response={200: CommunePage, **ERRORS},
    operation_id="list_communes",
    summary="List a province's communes",
    openapi_extra=refusals({404: "`not_found`: no province with this code."}),
)
def list_communes(
    request: HttpRequest, path: Path[ProvinceCode], filters: Query[CommuneFilters], pagination: Query[PageParams]
) -> dict[str, Any]:
    province = _province_or_404(path.code)
    q = clean_text(filters.q)
    qs = (
        selectors.commune_search(name=q, province_code=province.code, limit=None)
        if q
        else selectors.communes_of(province.code).order_by("name", "code")
    )
    page = paginate(qs, pagination)
    return page.envelope([presenters.commune(c) for c in page.items])
