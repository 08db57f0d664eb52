"""Online fairs (docs/selling-events.md, "Online fairs"): published fairs with their status, page `url`, dates,
provinces and approved booths with the prices a buyer pays now (the fair price only while the fair is open)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from taybac.api.errors import ERRORS
from taybac.api.params import PageParams, paginate
from taybac.campaigns.fair_models import Fair
from taybac.campaigns.fair_selectors import booth_lines, public_fairs_with_booths, status

router = Router(tags=["fairs"])
Status = Literal["upcoming", "open", "ended"]


class BoothProductOut(Schema):
    variant_id: int
    product: str
    variant: str
    price: int = Field(..., description="What a buyer pays now, integer đồng (the fair price while the fair is open).")
    usual_price: int
    fair_price: int


class BoothOut(Schema):
    id: int
    shop: str = Field(..., description="The shop's slug.")
    name: str
    url: str = Field(..., description="The booth's page.")
    products: list[BoothProductOut]


class FairOut(Schema):
    slug: str
    title: str
    theme: str
    status: Status
    starts_at: datetime
    ends_at: datetime
    provinces: list[int] = Field(..., description="Province codes (2025 units).")
    url: str = Field(..., description="The fair's page.")
    booths: list[BoothOut]


class FairPage(Schema):
    items: list[FairOut]
    count: int = Field(..., ge=0)
    page: int
    page_size: int


class FairFilters(Schema):
    status: Status | None = Field(None, description="Only fairs in this state.")


def _present(fair: Fair) -> dict[str, Any]:
    base = settings.PUBLIC_URL.rstrip("/")
    return {
        "slug": fair.slug,
        "title": fair.title,
        "theme": fair.theme,
        "status": status(fair),
        "starts_at": fair.starts_at,
        "ends_at": fair.ends_at,
        "provinces": sorted(p.pk for p in fair.provinces.all()),
        "url": f"{base}/hoi-cho/{fair.slug}/",
        "booths": [
            {
                "id": b.pk,
                "shop": b.shop.slug,
                "name": b.shop.name,
                "url": f"{base}/hoi-cho/{fair.slug}/gian/{b.pk}/",
                "products": [
                    {
                        "variant_id": line.variant_id,
                        "product": line.product_name,
                        "variant": line.variant_name,
                        "price": line.price,
                        "usual_price": line.usual_price,
                        "fair_price": line.fair_price,
                    }
                    for line in booth_lines(b)
                ],
            }
            for b in fair.approved  # type: ignore[attr-defined]  # prefetched by public_fairs_with_booths
        ],
    }


@router.get(
    "/fairs",
    response={200: FairPage, **ERRORS},
    summary="List online fairs",
    operation_id="list_fairs",
)
def list_fairs(request: HttpRequest, filters: Query[FairFilters], pagination: Query[PageParams]) -> dict[str, Any]:
    fairs = public_fairs_with_booths()
    now = timezone.now()
    if filters.status == "open":
        fairs = fairs.filter(starts_at__lte=now, ends_at__gt=now)
    elif filters.status == "upcoming":
        fairs = fairs.filter(starts_at__gt=now)
    elif filters.status == "ended":
        fairs = fairs.filter(Q(ends_at__lte=now))
    page = paginate(fairs, pagination)
    return page.envelope([_present(f) for f in page.items])
